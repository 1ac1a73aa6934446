"""Every table of the portal, named here rather than found by file name, in dependency order
(for the schema check, the migrations and test set-up)."""

from peewee import sort_models

from portal.audit.models import AuditEvent
from portal.auth.models import RateLimitCounter, TerminalSession, User
from portal.catalog.controlled.biennial import BiennialInventory, BiennialLine
from portal.catalog.controlled.models import (
    ControlledOrder,
    ControlledOrderLine,
    CountCheck,
    LossReport,
)
from portal.catalog.formulas.models import Formula, FormulaIngredient, FormulaQualityCheck
from portal.catalog.knowledge.models import (
    ClassMember,
    CrossSensitivity,
    DrugClass,
    Interaction,
    KnowledgeVersion,
)
from portal.catalog.models import Ingredient, Product, ProductIngredient
from portal.catalog.stock.models import Lot, StockMovement
from portal.claims.claims.models import (
    Claim,
    ClaimCompoundLine,
    ClaimCount,
    ClaimEvent,
    ClaimReject,
)
from portal.claims.prior_auth.models import PriorAuthorization
from portal.claims.remittance.models import Remittance, RemittanceAdjustment, RemittanceLine
from portal.compounding.lab.models import BalanceCheck, CleaningLog
from portal.compounding.records.events import CompoundingRecordEvent
from portal.compounding.records.models import CompoundingLine, CompoundingRecord, QualityResult
from portal.foundation.settings import Setting
from portal.labels.models import LabelPrint
from portal.patients.models import Allergy, Coverage, OtherMedication, Patient, Payer
from portal.pharmacy.models import Pharmacy
from portal.prescribers.models import Prescriber
from portal.prescriptions.controlled.models import ControlledOrigin
from portal.prescriptions.fills.models import (
    Clarification,
    Fill,
    FillCount,
    FillEvent,
    Verification,
)
from portal.prescriptions.models import Prescription, PrescriptionImage, RxCounter
from portal.reports.claims.models import ClaimDayTotal, ClaimRejectMonth
from portal.reports.pmp.models import PmpRecord, PmpRevisionDue, PmpSubmission

MODELS = (
    Pharmacy,
    Setting,
    AuditEvent,
    RateLimitCounter,
    TerminalSession,
    User,
    Allergy,
    OtherMedication,
    Coverage,
    Patient,
    Payer,
    Prescriber,
    Formula,
    FormulaIngredient,
    FormulaQualityCheck,
    Ingredient,
    DrugClass,
    ClassMember,
    CrossSensitivity,
    Interaction,
    KnowledgeVersion,
    Product,
    ProductIngredient,
    Lot,
    StockMovement,
    CountCheck,
    ControlledOrder,
    ControlledOrderLine,
    LossReport,
    BiennialInventory,
    BiennialLine,
    Clarification,
    ControlledOrigin,
    Fill,
    FillCount,
    FillEvent,
    Verification,
    Prescription,
    PrescriptionImage,
    RxCounter,
    BalanceCheck,
    CleaningLog,
    CompoundingLine,
    CompoundingRecord,
    CompoundingRecordEvent,
    QualityResult,
    LabelPrint,
    Claim,
    ClaimCompoundLine,
    ClaimCount,
    ClaimEvent,
    ClaimReject,
    ClaimDayTotal,
    ClaimRejectMonth,
    PmpSubmission,
    PmpRecord,
    PmpRevisionDue,
    PriorAuthorization,
    Remittance,
    RemittanceLine,
    RemittanceAdjustment,
)


def all_models() -> list:
    """Every model, parents before the tables that point at them."""
    return sort_models(MODELS)
