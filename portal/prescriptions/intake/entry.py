"""Taking a prescription in and correcting it in data entry: the writes behind the intake
screen, each in one transaction with its audit events.

    receive(patient=..., values=..., priority=..., user=..., image=None, send=False) -> Fill
    correct(fill, values=..., priority=..., user=..., image=None, send=False) -> Fill
    refill(prescription, user=..., quantity=..., days_supply=..., priority=...) -> Fill
"""

from __future__ import annotations

from decimal import Decimal

from portal.audit import log as audit
from portal.auth.models import User
from portal.foundation.dates import today
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.patients.models import Patient
from portal.prescriptions import policy
from portal.prescriptions import settings as rx_settings
from portal.prescriptions.fills.models import Fill, WorkflowError
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.intake.uploads import StoredFile
from portal.prescriptions.models import Prescription, PrescriptionImage, RxCounter
from portal.prescriptions.sig.directions import expand_sig


class RefillRefused(WorkflowError):
    """No new fill can be made; the message says why (none left, expired, C-II...)."""


def derive(prescription: Prescription) -> None:
    """What follows from what was typed: directions in words, schedule, last fillable day."""
    sig = prescription.sig.strip()
    prescription.directions = expand_sig(sig, rx_settings.extra_sig_codes()) if sig else ""
    if prescription.is_compound:
        prescription.schedule = prescription.formula.schedule
    elif prescription.product_id:
        prescription.schedule = prescription.product.schedule or None
    else:
        prescription.schedule = None
    prescription.set_expiry()


def attach_image(prescription: Prescription, stored: StoredFile, user: User) -> PrescriptionImage:
    image = PrescriptionImage.create(
        prescription=prescription,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        uploaded_by=user,
    )
    audit.record(
        "create",
        "prescription_image",
        image.id,
        after=audit.snapshot(image),
        patient_id=prescription.patient_id,
        user=user,
    )
    return image


def receive(
    *,
    patient: Patient,
    values: dict,
    priority: str,
    user: User,
    image: StoredFile | None = None,
    send: bool = False,
) -> Fill:
    """A new prescription with its Rx number and its original fill.

    Saved for later it waits in intake; sent, it moves through data entry to the
    pharmacist's data verification.
    """
    with write_transaction():
        prescription = Prescription(
            rx_number=RxCounter.issue(), patient=patient, created_by=user, **values
        )
        derive(prescription)
        prescription.save(force_insert=True)
        audit.record(
            "create",
            "prescription",
            prescription.id,
            after=audit.snapshot(prescription),
            patient_id=patient.id,
            user=user,
        )
        if image is not None:
            attach_image(prescription, image, user)
        fill = Fill.open(prescription, user, priority=priority)
        if send:
            fill.move_to(FillStatus.DATA_ENTRY, user)
            fill.move_to(FillStatus.DATA_VERIFY, user)
    return fill


def correct(
    fill: Fill,
    *,
    values: dict,
    priority: str,
    user: User,
    image: StoredFile | None = None,
    send: bool = False,
) -> Fill:
    """Save what was typed on an original fill in intake or data entry; send it on if asked."""
    if fill.fill_number != 0:
        raise WorkflowError(N_("A refill's prescription cannot be changed; correct the fill."))
    with write_transaction():
        prescription = Prescription.get_by_id(fill.prescription_id)
        before = audit.snapshot(prescription)
        for name, value in values.items():
            setattr(prescription, name, value)
        derive(prescription)
        prescription.save()
        audit.record(
            "update",
            "prescription",
            prescription.id,
            before=before,
            after=audit.snapshot(prescription),
            patient_id=prescription.patient_id,
            user=user,
        )
        _update_fill(
            fill,
            user,
            priority=priority,
            quantity=prescription.quantity,
            days_supply=prescription.days_supply,
            refills_remaining=prescription.refills_authorized,
        )
        if image is not None:
            attach_image(prescription, image, user)
        _advance(fill, user, send)
    return fill


def correct_refill(
    fill: Fill, *, quantity: Decimal, days_supply: int, priority: str, user: User, send: bool
) -> Fill:
    """Save a refill's quantity, days supply and priority in data entry."""
    with write_transaction():
        _update_fill(fill, user, priority=priority, quantity=quantity, days_supply=days_supply)
        _advance(fill, user, send)
    return fill


def _advance(fill: Fill, user: User, send: bool) -> None:
    if fill.status == FillStatus.INTAKE:
        fill.move_to(FillStatus.DATA_ENTRY, user)
    if send:
        fill.move_to(FillStatus.DATA_VERIFY, user)


def _update_fill(fill: Fill, user: User, **changes) -> None:
    stored = Fill.get_by_id(fill.id)
    if stored.status not in (FillStatus.INTAKE, FillStatus.DATA_ENTRY):
        raise WorkflowError(
            f"This fill is {stored.status_label.lower()}; it can only be changed in data entry."
        )
    before = audit.snapshot(stored)
    if "priority" in changes:
        changes["queue_rank"] = (
            stored.queue_rank
            if stored.queue_rank == policy.RETURNED_RANK
            else policy.PRIORITY_RANK[changes["priority"]]
        )
    for name, value in changes.items():
        setattr(stored, name, value)
        setattr(fill, name, value)
    stored.save()
    audit.record(
        "update",
        "fill",
        fill.id,
        before=before,
        after=audit.snapshot(stored),
        patient_id=fill.patient_id,
        user=user,
    )


def refill(
    prescription: Prescription,
    *,
    user: User,
    quantity: Decimal,
    days_supply: int,
    priority: str,
) -> Fill:
    """The next fill from the refills left, sent to the pharmacist's data verification.

    Raises RefillRefused, saying why, when none remain, the prescription has expired, it
    is C-II, inactive, or a fill of it is still in progress.
    """
    with write_transaction():
        fresh = Prescription.get_by_id(prescription.id)
        problem = fresh.refill_problem(today())
        if problem:
            raise RefillRefused(problem)
        fill = Fill.open(fresh, user, priority=priority, quantity=quantity, days_supply=days_supply)
        fill.move_to(FillStatus.DATA_ENTRY, user, "refill")
        fill.move_to(FillStatus.DATA_VERIFY, user)
    return fill
