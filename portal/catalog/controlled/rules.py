"""Controlled-substance record rules on plain values (no Flask, no database).

Sources: 21 CFR 1304.04 and 1304.21 (records of every receipt and disposal, kept 2 years),
21 CFR 1304.11 (inventories: exact count of C-II, estimated count of opened C-III to C-V
containers unless a container holds more than 1,000 units), 21 CFR 1305.13 and 1305.22
(the purchaser records on the DEA Form 222 or the CSOS order the number of packages
received and the date, and may not receive more than was ordered), 21 CFR 1301.76(b)
(theft or significant loss: DEA Form 106), 21 CFR 1317.90 (destruction: DEA Form 41).
"""

from __future__ import annotations

import re
from decimal import Decimal

from portal.foundation.i18n import N_
from portal.foundation.identifiers import dea_problem

ORDER_FORMS: tuple[tuple[str, str], ...] = (
    ("222", N_("DEA Form 222 (paper)")),
    ("csos", N_("CSOS electronic order")),
)
_ORDER_NUMBER = re.compile(r"[A-Z0-9-]{6,20}")

BUSINESS_HOURS: tuple[tuple[str, str], ...] = (
    ("opening", N_("Before the opening of business")),
    ("close", N_("After the close of business")),
)

# DEA Form 106, "type of theft or loss" (the form's own choices).
LOSS_KINDS: tuple[tuple[str, str], ...] = (
    ("night_break_in", N_("Night break-in")),
    ("armed_robbery", N_("Armed robbery")),
    ("employee_pilferage", N_("Employee pilferage")),
    ("customer_theft", N_("Customer theft")),
    ("lost_in_transit", N_("Lost in transit")),
    ("other", "Other (explain)"),
)
# DEA Form 41, the method of destruction.
DESTRUCTION_METHODS: tuple[tuple[str, str], ...] = (
    ("incineration", N_("Incineration")),
    ("chemical", N_("Chemical digestion / denaturing")),
    ("reverse_distributor", N_("Sent to a reverse distributor")),
    ("other", "Other (explain)"),
)


def order_number_problem(form: str, number: str) -> str | None:
    """Why the order form number cannot be recorded, or None."""
    if form not in dict(ORDER_FORMS):
        return N_("Choose DEA Form 222 or CSOS.")
    text = (number or "").strip().upper()
    if not _ORDER_NUMBER.fullmatch(text):
        what = N_("DEA Form 222 serial number") if form == "222" else N_("CSOS order number")
        return f"Enter the {what} as printed: 6 to 20 letters or digits."
    return None


def supplier_dea_problem(dea: str) -> str | None:
    """The supplier's DEA registration must be a valid number (a distributor: letter P or R
    first, though a pharmacy or manufacturer may also supply)."""
    if not (dea or "").strip():
        return N_("Enter the supplier's DEA number (21 CFR 1305.13).")
    if problem := dea_problem(dea):
        return f"Supplier DEA number {dea.strip().upper()} is not valid: {problem}."
    return None


def receipt_problem(
    *, ordered: Decimal, received_before: Decimal, receiving: Decimal
) -> str | None:
    """Why this many packages cannot be received on an order line, or None (21 CFR 1305.13:
    no more may be received than was ordered; a short line may be completed later)."""
    receiving = Decimal(receiving)
    if receiving <= 0:
        return N_("The quantity received must be more than zero.")
    left = Decimal(ordered) - Decimal(received_before)
    if receiving > left:
        return (
            f"Only {_n(left)} of the {_n(ordered)} ordered remain to be received on this line; "
            f"{_n(receiving)} is more than was ordered (21 CFR 1305.13): refuse the excess or "
            "return it to the supplier."
        )
    return None


def count_problem(
    *, expected: Decimal, counted: Decimal, explanation: str, by_pharmacist: bool
) -> str | None:
    """Why a physical count of controlled stock cannot be recorded, or None.

    A count that differs from the perpetual inventory needs a pharmacist's explanation
    (the discrepancy may be a loss the pharmacy must report: 21 CFR 1301.76(b))."""
    if Decimal(counted) < 0:
        return N_("A count cannot be negative.")
    if Decimal(counted) == Decimal(expected):
        return None
    if not by_pharmacist:
        return (
            f"The count ({_n(counted)}) differs from the perpetual inventory ({_n(expected)}): "
            "a pharmacist must explain the discrepancy."
        )
    if len((explanation or "").strip()) < 10:
        return N_("Explain the discrepancy in a sentence (what was found, what was done).")
    return None


def biennial_count_kind(schedule: str, container_units: Decimal | None = None) -> str:
    """ "exact" or "estimated": C-II counted exactly; an opened C-III to C-V container is
    estimated unless it holds more than 1,000 tablets or capsules (21 CFR 1304.11(e)(3))."""
    if schedule == "2":
        return "exact"
    if container_units is not None and Decimal(container_units) > 1000:
        return "exact"
    return "estimated"


def running_balances(newest_balance: Decimal, deltas_newest_first) -> list[Decimal]:
    """The balance after each movement, walking back from the newest balance."""
    balances, balance = [], Decimal(newest_balance)
    for delta in deltas_newest_first:
        balances.append(balance)
        balance -= Decimal(delta)
    return balances


def plain(value) -> str:
    """100, 2.5: a quantity without trailing zeros or exponent."""
    return format(Decimal(value).normalize(), "f")


_n = plain
