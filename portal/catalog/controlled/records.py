"""The writes behind the controlled-substance records, each in one transaction with its
stock movement and audit events (rules.py says what is refused, and why).

    record_count(lot, user, counted=..., explanation=...) -> CountCheck
    create_order(user, order_form=..., order_number=..., supplier=..., supplier_dea=...,
                 ordered_on=..., lines=[(product, quantity), ...]) -> ControlledOrder
    receive_line(line, user, quantity=..., lot_number=..., expires_on=..., received_on=...)
    report_loss(user, kind=..., lot=..., quantity=..., happened_on=..., ...) -> LossReport
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from peewee import IntegrityError

from portal.audit import log as audit
from portal.auth.models import User
from portal.catalog.controlled import rules
from portal.catalog.controlled.models import (
    ControlledOrder,
    ControlledOrderLine,
    CountCheck,
    LossReport,
)
from portal.catalog.stock.models import Lot, StockError
from portal.foundation import locks
from portal.foundation.db import is_sqlite, write_transaction
from portal.foundation.i18n import N_


class RecordRefused(StockError):
    """A record refused, with the rule in words."""


def _locked(model, row_id: int):
    """The row, held until the transaction ends; the audit chain's lock first, as every
    stock movement and every move of a fill takes them (Lot._move)."""
    locks.hold_for_transaction(locks.AUDIT_CHAIN)
    query = model.select().where(model.id == row_id)
    return query.get() if is_sqlite() else query.for_update().get()


def record_count(lot: Lot, user: User, *, counted: Decimal, explanation: str) -> CountCheck:
    """Count a controlled lot against the perpetual inventory; a difference is adjusted with
    the pharmacist's explanation."""
    explanation = (explanation or "").strip()
    with write_transaction():
        current = _locked(Lot, lot.id)
        expected = current.quantity_on_hand
        if problem := rules.count_problem(
            expected=expected,
            counted=Decimal(counted),
            explanation=explanation,
            by_pharmacist=user.is_pharmacist,
        ):
            raise RecordRefused(problem)
        movement = None
        if Decimal(counted) != expected:
            movement = current.adjust(
                Decimal(counted) - expected,
                f"Controlled count {rules.plain(counted)} (expected {rules.plain(expected)}): "
                f"{explanation}",
                user=user,
            )
        check = CountCheck.create(
            lot=lot,
            expected=expected,
            counted=Decimal(counted),
            explanation=explanation,
            counted_by=user,
            movement_id=movement.id if movement else None,
        )
        audit.record(
            "create", "controlled_count_check", check.id, after=audit.snapshot(check), user=user
        )
    return check


def create_order(
    user: User,
    *,
    order_form: str,
    order_number: str,
    supplier: str,
    supplier_dea: str,
    ordered_on: date,
    lines: list[tuple[object, Decimal]],
) -> ControlledOrder:
    """A C-II order as written on the order form, line by line."""
    problems = [
        rules.order_number_problem(order_form, order_number),
        rules.supplier_dea_problem(supplier_dea),
        None if (supplier or "").strip() else N_("Enter the supplier's name."),
        None if lines else N_("Add at least one line: the product and the quantity ordered."),
    ]
    for product, quantity in lines:
        if product.schedule != "2":
            problems.append(f"{product.description} is not C-II: order it without a 222.")
        if Decimal(quantity) <= 0:
            problems.append(N_("Each line's quantity ordered must be more than zero."))
    if found := [p for p in problems if p]:
        raise RecordRefused(" ".join(found))
    try:
        with write_transaction():
            order = ControlledOrder.create(
                order_form=order_form,
                order_number=order_number.strip().upper(),
                supplier=supplier.strip(),
                supplier_dea=supplier_dea.strip().upper(),
                ordered_on=ordered_on,
                created_by=user,
            )
            audit.record(
                "create", "controlled_order", order.id, after=audit.snapshot(order), user=user
            )
            for number, (product, quantity) in enumerate(lines, start=1):
                line = ControlledOrderLine.create(
                    order=order,
                    line_number=number,
                    product=product,
                    quantity_ordered=Decimal(quantity),
                )
                audit.record(
                    "create",
                    "controlled_order_line",
                    line.id,
                    after=audit.snapshot(line),
                    user=user,
                )
    except IntegrityError:
        raise RecordRefused(
            f"Order number {order_number.strip().upper()} is already on file."
        ) from None
    return order


def receive_line(
    line: ControlledOrderLine,
    user: User,
    *,
    quantity: Decimal,
    lot_number: str,
    expires_on: date,
    received_on: date,
) -> Lot:
    """Receive stock on an order line into its lot; never more than was ordered."""
    with write_transaction():
        stored = _locked(ControlledOrderLine, line.id)
        if problem := rules.receipt_problem(
            ordered=stored.quantity_ordered,
            received_before=stored.quantity_received,
            receiving=Decimal(quantity),
        ):
            raise RecordRefused(problem)
        order = stored.order
        lot = Lot.receive(
            stored.product,
            lot_number=lot_number,
            expires_on=expires_on,
            quantity=Decimal(quantity),
            received_on=received_on,
            supplier=order.supplier,
            user=user,
            note=f"{order.document} line {stored.line_number}, {order.supplier} "
            f"(DEA {order.supplier_dea}), received {received_on:%m/%d/%Y}",
        )
        before = audit.snapshot(stored)
        stored.quantity_received = stored.quantity_received + Decimal(quantity)
        stored.received_on, stored.received_by = received_on, user
        stored.save()
        audit.record(
            "update",
            "controlled_order_line",
            stored.id,
            before=before,
            after=audit.snapshot(stored),
            user=user,
        )
    return lot


def report_loss(
    user: User,
    *,
    kind: str,
    lot: Lot,
    quantity: Decimal,
    happened_on: date,
    circumstances: str,
    loss_kind: str = "",
    police_report: str = "",
    method: str = "",
    witnesses: str = "",
) -> LossReport:
    """Record a theft or loss (Form 106 data) or a destruction (Form 41 data) and take the
    quantity out of the lot."""
    problems = []
    if not user.is_pharmacist:
        problems.append(N_("A pharmacist records controlled-substance losses and destructions."))
    if kind == "theft_loss" and loss_kind not in dict(rules.LOSS_KINDS):
        problems.append(N_("Choose the type of theft or loss (as on DEA Form 106)."))
    if kind == "destruction" and method not in dict(rules.DESTRUCTION_METHODS):
        problems.append(N_("Choose the method of destruction (as on DEA Form 41)."))
    if kind == "destruction" and len([w for w in witnesses.split(",") if w.strip()]) < 2:
        problems.append(
            N_("Name the two employees who witnessed the destruction, separated by a comma.")
        )
    if kind not in ("theft_loss", "destruction"):
        problems.append(N_("Choose theft or loss, or destruction."))
    if not (circumstances or "").strip():
        problems.append(N_("Describe what happened."))
    if Decimal(quantity) <= 0:
        problems.append(N_("The quantity must be more than zero."))
    if problems:
        raise RecordRefused(" ".join(problems))
    with write_transaction():
        report = LossReport.create(
            kind=kind,
            lot=lot,
            product=lot.product_id,
            ingredient=lot.ingredient_id,
            quantity=Decimal(quantity),
            happened_on=happened_on,
            loss_kind=loss_kind,
            police_report=police_report.strip(),
            method=method,
            witnesses=witnesses.strip(),
            circumstances=circumstances.strip(),
            recorded_by=user,
        )
        note = f"{report.form_name} report {report.id}: {circumstances.strip()}"
        if kind == "destruction":
            movement = lot.withdraw(Decimal(quantity), "destroyed", user=user, note=note)
        else:
            movement = lot.adjust(-Decimal(quantity), note, user=user)
        report.movement_id = movement.id
        report.save()
        audit.record(
            "create", "controlled_loss_report", report.id, after=audit.snapshot(report), user=user
        )
    return report
