"""The work of each step after data entry, each in one transaction with its audit events:
the pharmacist's verifications, filling (scan and stock), holds, cancellation and pickup.

Views call these with the acting user (or, co-signed, the pharmacist) and, when someone
co-signed, the co-sign note for the fill's history; the workflow and the duties are
enforced by Fill.move_to, so these cannot skip a step either.
"""

from __future__ import annotations

import json
from decimal import Decimal

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.rules import ndc_candidates_from_barcode
from portal.catalog.stock.models import Lot, StockError
from portal.catalog.stock.rules import unit_of
from portal.foundation import locks
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.prescriptions import policy
from portal.prescriptions.controlled import origin, partial

# steps.cancel is the counter's cancellation; its home is fills.cancelling.
from portal.prescriptions.fills.cancelling import cancel as cancel
from portal.prescriptions.fills.cancelling import return_stock
from portal.prescriptions.fills.models import (
    Fill,
    NotAllowed,
    ScanMismatch,
    Verification,
    WorkflowError,
)
from portal.prescriptions.fills.workflow import FillStatus
from portal.prescriptions.screening import gather, rules
from portal.prescriptions.screening.facts import CheckResult, Status


def blocking(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.status is Status.BLOCK]


def warning(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.status is Status.WARN]


def _acknowledge(fill: Fill, pharmacist: User, warnings: list[CheckResult], stage: str) -> None:
    """A warning goes ahead only once the pharmacist says they read it (audited)."""
    if warnings:
        audit.record(
            "acknowledge",
            "fill",
            fill.id,
            note=f"{stage}: warnings acknowledged ({'; '.join(w.message for w in warnings)})",
            patient_id=fill.patient_id,
            user=pharmacist,
        )


def approve_data(
    fill: Fill,
    pharmacist: User,
    results: list[CheckResult],
    *,
    override_reason: str = "",
    own_entry_reason: str = "",
    cosign_note: str = "",
    acknowledged: bool = False,
) -> Verification:
    """The pharmacist approves the entered data: to filling, or compounding for a formula.

    A blocking check needs an override reason; it is recorded with the verification and
    audited as an override. A warning needs the pharmacist's acknowledgement (audited)."""
    override_reason = (override_reason or "").strip()
    # Not a block a reason overrides: without the pharmacist's record it is no prescription.
    if problem := origin.data_problem(fill.prescription, fill.quantity):
        raise NotAllowed(problem)
    blocks = blocking(results)
    if blocks and not override_reason:
        raise NotAllowed(
            N_("A check blocks this fill: give a reason to override it, or return it.")
        )
    if warning(results) and not acknowledged:
        raise NotAllowed(N_("Acknowledge the warnings before approving, or return the fill."))
    target = FillStatus.COMPOUND if fill.prescription.is_compound else FillStatus.FILL
    with write_transaction():
        fill.move_to(target, pharmacist, own_entry_reason=own_entry_reason, cosign_note=cosign_note)
        verification = Verification.create(
            fill=fill,
            stage="data",
            pharmacist=pharmacist,
            outcome="approved",
            checks=json.dumps(gather.results_json(results)),
            block_override_reason=override_reason if blocks else "",
            own_entry_reason=own_entry_reason,
            note=cosign_note,
        )
        audit.record(
            "verify",
            "fill",
            fill.id,
            after={"stage": "data", "outcome": "approved", "checks": rules.worst(results).value},
            patient_id=fill.patient_id,
            user=pharmacist,
        )
        if blocks:
            audit.record(
                "override",
                "fill",
                fill.id,
                note=f"blocking check overridden ({'; '.join(b.message for b in blocks)}): "
                f"{override_reason}",
                patient_id=fill.patient_id,
                user=pharmacist,
            )
        _acknowledge(fill, pharmacist, warning(results), "data verification")
    return verification


def return_data(
    fill: Fill,
    pharmacist: User,
    reason: str,
    results: list[CheckResult],
    *,
    cosign_note: str = "",
) -> Verification:
    """The pharmacist returns the fill to data entry; it goes on top of that queue."""
    with write_transaction():
        fill.move_to(FillStatus.DATA_ENTRY, pharmacist, reason, cosign_note=cosign_note)
        return Verification.create(
            fill=fill,
            stage="data",
            pharmacist=pharmacist,
            outcome="returned",
            reason=reason.strip(),
            checks=json.dumps(gather.results_json(results)),
            note=cosign_note,
        )


def scan_problem(scan: str, expected_ndc: str) -> str | None:
    """Why a scanned barcode is not the expected product, in words; None when it is."""
    try:
        candidates = ndc_candidates_from_barcode(scan)
    except ValueError as unreadable:
        return f"The scan could not be read: {unreadable}."
    if expected_ndc in candidates:
        return None
    return (
        f"Wrong product: the scan reads NDC {' or '.join(candidates)}, "
        f"but this prescription is for NDC {expected_ndc}."
    )


def record_filling(fill: Fill, user: User, *, scan: str, lot: Lot | None) -> None:
    """The technician has counted the product: check the scan, take the stock, on to final
    verification."""
    product = fill.prescription.product
    if product is None:
        raise WorkflowError(N_("This prescription names no product to fill."))
    if problem := scan_problem(scan, product.ndc):
        raise WorkflowError(problem)
    if lot is not None and lot.product_id != product.id:
        raise WorkflowError(f"Lot {lot.lot_number} is not a lot of {product.description}.")
    with write_transaction():
        if lot is not None:
            _check_units(fill, lot)
            try:
                lot.withdraw(
                    Decimal(fill.quantity),
                    "dispensed",
                    user=user,
                    fill_id=fill.id,
                    note=f"Rx {fill.rx_fill}",
                )
            except StockError as short:
                raise WorkflowError(f"{short}.") from short
        fill.move_to(
            FillStatus.FINAL_VERIFY,
            user,
            fields={"dispensed_ndc": product.ndc, "dispensed_lot": lot},
        )


def _check_units(fill: Fill, lot: Lot) -> None:
    unit = fill.prescription.quantity_unit
    try:
        stock_unit = unit_of(unit)
    except ValueError:
        stock_unit = unit
    if stock_unit != lot.unit:
        raise WorkflowError(
            f"The quantity is in {unit} but lot {lot.lot_number} is counted in {lot.unit}; "
            "correct the unit in data entry."
        )


def mark_compounded(fill: Fill, user: User) -> None:
    """A compound goes to final verification only by completing its compounding record
    (the compounding area moves the fill then), never by a bare button."""
    raise WorkflowError(
        f"Rx {fill.rx_fill} goes to final verification when its compounding record is "
        "completed in the compounding area."
    )


def latest_compounding_record(fill: Fill):
    """The fill's newest compounding record, or None.

    Reads the compounding area's records through Fill's backref (no import of compounding).
    """
    records = sorted(getattr(fill, "compounding_records", []), key=lambda r: r.id)
    return records[-1] if records else None


def compounding_record_problem(fill: Fill) -> str | None:
    """Why a compound fill cannot pass final verification yet, or None."""
    if not fill.prescription.is_compound:
        return None
    record = latest_compounding_record(fill)
    if record is None:
        return N_("This compound has no compounding record.")
    if record.status != "approved":
        return N_("Approve the compounding record before approving the fill.")
    return None


def preparation_scan_problem(scan: str, internal_id: str) -> str | None:
    """Why a scan is not the compounded preparation of this fill, in words; None when it is.

    A compound's label prints its compounding record's internal ID (USP <795> section 11:
    the Rx number, or a batch's lot number), typed by a scanner or by hand: compared
    trimmed and in any case.
    """
    read = " ".join(scan.split())
    if read.casefold() == internal_id.strip().casefold():
        return None
    problem = f"Wrong preparation: the scan reads {read}, this fill's compounding record is "
    problem += f"{internal_id}."
    if read.upper().startswith("RX"):
        problem += " That looks like the label's own barcode: scan or type the internal ID."
    return problem


def check_scan(fill: Fill, scan: str) -> None:
    """The product in hand against the label: a package's NDC, or a compound's internal ID."""
    if fill.prescription.is_compound:
        internal_id = latest_compounding_record(fill).internal_id
        if not scan:
            raise WorkflowError(
                N_(
                    "Scan or type the internal ID on the preparation's label to check it against "
                    "the compounding record."
                )
            )
        if problem := preparation_scan_problem(scan, internal_id):
            raise ScanMismatch(problem)
    elif fill.dispensed_ndc:
        if not scan:
            raise WorkflowError(N_("Scan the package to check it against the label."))
        if problem := scan_problem(scan, fill.dispensed_ndc):
            raise ScanMismatch(problem)


def record_scan_mismatch(fill: Fill, scan: str, problem: str, user: User) -> None:
    """Audit a blocked final-verification scan (what was scanned and why it was refused)."""
    with write_transaction():
        audit.record(
            "scan_mismatch",
            "fill",
            fill.id,
            after={"scan": scan[:60], "problem": problem[:300], "stage": "final"},
            patient_id=fill.patient_id,
            user=user,
        )


def new_alerts(fill: Fill, results: list[CheckResult]) -> list[CheckResult]:
    """Screening alerts at final verification that data verification did not see (a
    medication or allergy recorded since): only these need the pharmacist again."""
    data = (
        Verification.select()
        .where(
            (Verification.fill == fill.id)
            & (Verification.stage == "data")
            & (Verification.outcome == "approved")
        )
        .order_by(Verification.id.desc())
        .first()
    )
    seen = {(c["check"], c["message"]) for c in (data.check_list() if data else [])}
    return [r for r in results if r.status is not Status.PASS and (r.check, r.message) not in seen]


def approve_final(
    fill: Fill,
    pharmacist: User,
    *,
    scan: str = "",
    cosign_note: str = "",
    alerts: list[CheckResult] = (),
    override_reason: str = "",
    acknowledged: bool = False,
) -> Verification:
    """The pharmacist checks the product against the label: ready for pickup.

    A manufactured product must be scanned and match what was filled; a compound needs
    its compounding record approved and the internal ID on its label scanned or typed.
    ``alerts`` are the screening alerts new since data verification (new_alerts): a block
    needs an override reason, a warning an acknowledgement, as at data verification."""
    if problem := (
        compounding_record_problem(fill)
        or origin.final_problem(fill.prescription)
        or partial.in_progress_problem(fill, partial.local_now())
    ):
        raise WorkflowError(problem)
    override_reason = (override_reason or "").strip()
    blocks = blocking(list(alerts))
    if blocks and not override_reason:
        raise NotAllowed(N_("A new screening alert blocks this fill: override it with a reason."))
    if warning(list(alerts)) and not acknowledged:
        raise NotAllowed(
            N_("Acknowledge the new warnings before approving, or send the fill back.")
        )
    check_scan(fill, scan.strip())
    with write_transaction():
        _remainder_still_dispensable(fill)
        fill.move_to(FillStatus.READY, pharmacist, cosign_note=cosign_note)
        verification = Verification.create(
            fill=fill,
            stage="final",
            pharmacist=pharmacist,
            outcome="approved",
            note=cosign_note,
            checks=json.dumps(gather.results_json(list(alerts))) if alerts else "",
            block_override_reason=override_reason if blocks else "",
        )
        audit.record(
            "verify",
            "fill",
            fill.id,
            after={"stage": "final", "outcome": "approved"},
            patient_id=fill.patient_id,
            user=pharmacist,
        )
        if blocks:
            audit.record(
                "override",
                "fill",
                fill.id,
                note=f"final verification: new blocking alert overridden "
                f"({'; '.join(b.message for b in blocks)}): {override_reason}",
                patient_id=fill.patient_id,
                user=pharmacist,
            )
        _acknowledge(fill, pharmacist, warning(list(alerts)), "final verification")
    return verification


def _remainder_still_dispensable(fill: Fill) -> None:
    """A remainder's void, or its window's end, decided as stored at the moment of the move
    (the check before the transaction may be a moment old): under the audit chain's lock
    that the hourly void takes too, so of the job and this step exactly one wins and the
    other is told why (21 CFR 1306.13: after the window the remainder is void)."""
    if not fill.remainder_of_id:
        return
    locks.hold_for_transaction(locks.AUDIT_CHAIN)
    if problem := partial.in_progress_problem(fill, partial.local_now()):
        raise WorkflowError(problem)


def send_back_final(
    fill: Fill, pharmacist: User, reason: str, *, cosign_note: str = ""
) -> Verification:
    """The pharmacist sends the fill back to be redone; its stock goes back to the lot."""
    target = FillStatus.COMPOUND if fill.prescription.is_compound else FillStatus.FILL
    with write_transaction():
        return_stock(fill, pharmacist, f"sent back at final verification: {reason}")
        fill.move_to(
            target,
            pharmacist,
            reason,
            fields={"dispensed_ndc": "", "dispensed_lot": None},
            cosign_note=cosign_note,
        )
        return Verification.create(
            fill=fill,
            stage="final",
            pharmacist=pharmacist,
            outcome="returned",
            reason=reason.strip(),
            note=cosign_note,
        )


def hold(fill: Fill, user: User, reason: str) -> None:
    fill.move_to(FillStatus.ON_HOLD, user, reason)


def resume(fill: Fill, user: User) -> None:
    """Back to the state the fill was held from."""
    if fill.status != FillStatus.ON_HOLD or not fill.held_from:
        raise WorkflowError(N_("This fill is not on hold."))
    fill.move_to(fill.held_from, user, "resumed")


def hand_out(
    fill: Fill,
    user: User,
    *,
    picked_up_by: str,
    relationship: str,
    counseling_offered: bool,
    counseling_accepted: bool,
    id_type: str = "",
    id_number: str = "",
    id_state: str = "",
    last_name: str = "",
    first_name: str = "",
    relationship_code: str = "",
) -> None:
    """The patient (or their representative) takes the prescription; for a C-II, against
    the photo ID whose type, number and issuing state are recorded (policy.pickup_needs_id,
    policy.id_needs_state); for any
    controlled fill, with the collector's last and first name and coded relationship
    ("patient" or policy.PICKUP_RELATIONSHIPS) for the PMP report."""
    if problem := partial.in_progress_problem(fill, partial.local_now()):
        raise WorkflowError(problem)
    if policy.pickup_needs_id(fill.prescription.schedule) and not (id_type and id_number):
        raise WorkflowError(
            N_("A C-II is handed out only against a photo ID: record its type and number.")
        )
    if id_number and policy.id_needs_state(id_type) and not id_state:
        raise WorkflowError(
            "Record the state that issued the ID: the state's PMP report carries it."
        )
    if (
        policy.pickup_names_whom(fill.prescription.schedule)
        and relationship_code not in ("", "patient")
        and not (last_name and first_name)
    ):
        raise WorkflowError(
            "A controlled prescription collected by someone else records their last and "
            "first name for the state's PMP report."
        )
    with write_transaction():
        _remainder_still_dispensable(fill)
        fill.move_to(
            FillStatus.PICKED_UP,
            user,
            fields={
                "picked_up_by": picked_up_by[:120],
                "picked_up_relationship": relationship[:40],
                "counseling_offered": counseling_offered,
                "counseling_accepted": counseling_accepted,
                "picked_up_id_type": id_type[:20],
                "picked_up_id_number": id_number[:30],
                "picked_up_id_state": id_state[:2] if id_number else "",
                "picked_up_last_name": last_name[:80],
                "picked_up_first_name": first_name[:80],
                "picked_up_relationship_code": relationship_code[:12],
            },
        )
