"""Demo claims for `flask --app portal demo load` (a loader of portal.foundation.demo).

The demo's finished fills are billed to their patients' plans (one paid, one rejected for
prior authorization with the PA requested, one waiting on the payer), and five months of
claims brought over from a previous system fill the work queue and the manager's dashboard:
paid, partially paid, rejected and resubmitted, never answered (in every aging bucket, some
overdue), written off and billed to the patient. Every claim goes through the same actions
staff take, so its history and the audit trail read as they would in use.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from peewee import fn

from portal.auth.models import User
from portal.catalog.models import Product
from portal.claims.claims import actions
from portal.claims.claims.billing import default_fees, product_ingredient_cost
from portal.claims.claims.models import Claim, ClaimError, ClaimEvent, ClaimReject
from portal.claims.prior_auth.models import PriorAuthorization
from portal.foundation.dates import local_today
from portal.foundation.money import ZERO
from portal.patients.models import Coverage
from portal.pharmacy.models import Pharmacy
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.fills.workflow import FillStatus

HISTORY_CLAIMS = 60
HISTORY_DAYS = 150
# Prescriptions from before Mortar: numbered below the first Mortar Rx number (100001).
HISTORY_RX_START = 60001
CENT = Decimal("0.01")
# (outcome, weight): what became of a claim brought over.
OUTCOMES = (
    ("paid", 55),
    ("partially_paid", 8),
    ("rejected", 12),
    ("resubmitted_paid", 7),
    ("waiting", 12),
    ("written_off", 3),
    ("billed_patient", 3),
)
REJECTIONS = ("70", "75", "76", "79", "MR", "07", "19", "41")
CORRECTIONS = {
    "07": "cardholder id corrected from the patient's new card",
    "19": "days supply corrected to match the directions",
    "41": "billed the primary plan first",
}


def _staff(role: str) -> User | None:
    return User.select().where(User.active & User.roles.contains(role)).order_by(User.id).first()


def _primary(patient_id: int, day: date) -> Coverage | None:
    for coverage in Coverage.select().where(
        (Coverage.patient == patient_id) & (Coverage.rank == "primary")
    ):
        if coverage.in_effect_on(day):
            return coverage
    return None


def _payment(claim: Claim, rng: random.Random, share: Decimal) -> dict:
    """What a plan pays: an allowed amount under the billed, less the patient's copay."""
    allowed = (claim.billed * Decimal(rng.randint(70, 95)) / 100).quantize(CENT)
    patient_pay = min(allowed, Decimal(rng.choice((0, 5, 10, 15, 25))))
    paid = ((allowed - patient_pay) * share).quantize(CENT)
    return {"allowed": allowed, "paid": paid, "patient_pay": patient_pay}


def _bill_fills(technician: User, rng: random.Random, today: date) -> int:
    """Claims for the demo's filled prescriptions, each at a different point."""
    fills = list(
        Fill.select()
        .where(Fill.status.in_((FillStatus.PICKED_UP, FillStatus.READY, FillStatus.FINAL_VERIFY)))
        .order_by(Fill.id)
    )
    count = 0
    rejected_for_pa = False
    for fill in fills:
        coverage = _primary(fill.patient_id, today)
        if coverage is None:
            continue
        claim = Claim.open_for_fill(fill, coverage, user=technician)
        count += 1
        if fill.status == FillStatus.PICKED_UP:
            actions.record_response(
                claim, technician, "paid", today, **_payment(claim, rng, Decimal(1))
            )
        elif fill.status == FillStatus.READY and not rejected_for_pa:
            rejected_for_pa = True
            actions.record_response(claim, technician, "rejected", today, reject_codes="75")
            prescriber = fill.prescription.prescriber
            PriorAuthorization.start(
                claim,
                technician,
                requested_on=today,
                prescriber_contacted=f"{prescriber.display_name}'s office, by fax",
                notes="PA form faxed with the chart notes; the office will call the plan.",
                follow_up_on=today + timedelta(days=2),
            )
        elif fill.status == FillStatus.READY:
            actions.submit(claim, technician, today)
    return count


def _history_claim(
    number: int, coverage: Coverage, product: Product, technician: User, rng, today
) -> Claim:
    served = today - timedelta(days=rng.randint(1, HISTORY_DAYS))
    quantity = Decimal(rng.choice((30, 60, 90)))
    return Claim.open(
        coverage,
        rx_number=str(HISTORY_RX_START + number),
        fill_number=rng.randint(0, 3),
        date_of_service=served,
        user=technician,
        ingredient_cost=product_ingredient_cost(
            product.acquisition_cost, product.package_size, quantity
        ),
        **default_fees(False),
        product_id=product.ndc,
        product_description=product.description,
        quantity=quantity,
        quantity_unit="each",
        days_supply=int(quantity),
        note="claim brought over from the previous pharmacy system",
    )


def _answer_day(claim: Claim, rng: random.Random, today: date) -> date:
    return min(today, claim.date_of_service + timedelta(days=rng.randint(1, 28)))


class _Story:
    """Dates a history claim's events and times by when they happened in its story, not when
    the demo was loaded. Its audit events keep the load time: that is when it was brought over.
    """

    def __init__(self, claim: Claim) -> None:
        self.claim = claim
        self.loaded_at = claim.created_at  # opened just now, by the demo load
        self.stamped = 0

    def on(self, day: date) -> None:
        """The claim's events and times since the last call happened on ``day``."""
        when = datetime.combine(day, time(15))  # UTC: the pharmacy's morning in the US
        events = ClaimEvent.claim == self.claim
        ClaimEvent.update(at=when).where(events & (ClaimEvent.id > self.stamped)).execute()
        self.stamped = ClaimEvent.select(fn.MAX(ClaimEvent.id)).where(events).scalar() or 0
        ClaimReject.update(rejected_at=when).where(
            (ClaimReject.claim == self.claim) & (ClaimReject.rejected_at >= self.loaded_at)
        ).execute()
        fresh = Claim.get_by_id(self.claim.id)
        changed = {}
        for field in (Claim.created_at, Claim.submitted_at, Claim.responded_at, Claim.paid_at):
            value = getattr(fresh, field.name)
            if value is not None and value >= self.loaded_at:  # set now, not yet back-dated
                changed[field] = when
        if changed:
            Claim.update(changed).where(Claim.id == self.claim.id).execute()
            for field in changed:  # the actions save this object: keep it in step
                setattr(self.claim, field.name, when)


def _play(claim: Claim, outcome: str, staff: dict, rng: random.Random, today: date) -> None:
    """Walk a history claim to its outcome, as the technician and manager would have, each
    step on its day."""
    technician, manager = staff["technician"], staff["manager"]
    story = _Story(claim)
    story.on(claim.date_of_service)
    answered = _answer_day(claim, rng, today)
    if outcome == "waiting":
        actions.submit(claim, technician, claim.date_of_service)
        story.on(claim.date_of_service)
        return
    if outcome in ("paid", "resubmitted_paid", "billed_patient"):
        if outcome == "resubmitted_paid":
            code = rng.choice(tuple(CORRECTIONS))
            actions.record_response(claim, technician, "rejected", answered, reject_codes=code)
            actions.resubmit(claim, technician, answered, CORRECTIONS[code])
            story.on(answered)
            answered = min(today, answered + timedelta(days=rng.randint(1, 14)))
        share = Decimal(1) if outcome != "billed_patient" else Decimal("0.6")
        result = "paid" if share == 1 else "partially_paid"
        actions.record_response(claim, technician, result, answered, **_payment(claim, rng, share))
        if outcome == "billed_patient":
            actions.bill_patient(claim, manager, "plan pays 60% for this product; patient agreed")
        story.on(answered)
        return
    if outcome == "partially_paid":
        actions.record_response(
            claim,
            technician,
            "partially_paid",
            answered,
            **_payment(claim, rng, Decimal("0.5")),
            follow_up_on=answered + timedelta(days=14),
        )
        story.on(answered)
        return
    code = rng.choice(REJECTIONS)
    actions.record_response(claim, technician, "rejected", answered, reject_codes=code)
    if outcome == "written_off":
        actions.write_off(claim, manager, "too old to appeal; plan's filing limit passed")
    elif rng.random() < 0.5:
        actions.assign(claim, technician, technician)
    story.on(answered)


def _history(staff: dict, rng: random.Random, today: date) -> int:
    coverages = list(
        Coverage.select()
        .where((Coverage.rank == "primary") & Coverage.active)
        .order_by(Coverage.id)
    )
    products = list(
        Product.select()
        .where(Product.schedule.is_null() | (Product.schedule == ""))
        .where(Product.acquisition_cost > ZERO)
        .order_by(Product.id)
    )
    if not (coverages and products):
        return 0
    names, weights = zip(*OUTCOMES, strict=True)
    count = 0
    for number in range(HISTORY_CLAIMS):
        coverage, product = rng.choice(coverages), rng.choice(products)
        try:
            claim = _history_claim(number, coverage, product, staff["technician"], rng, today)
        except ClaimError:
            continue
        _play(claim, rng.choices(names, weights)[0], staff, rng, today)
        count += 1
    return count


def load(seed: int = 11) -> str:
    if Claim.select().exists():
        return "claims: claims already present, none added"
    staff = {"technician": _staff("technician"), "manager": _staff("manager")}
    if not all(staff.values()):
        return "claims: no demo staff, none added"
    pharmacy = Pharmacy.current()
    today = local_today(pharmacy.time_zone if pharmacy else None)
    rng = random.Random(seed)
    from_fills = _bill_fills(staff["technician"], rng, today)
    history = _history(staff, rng, today)
    return f"claims: {from_fills} for the demo's fills, {history} from the last five months"
