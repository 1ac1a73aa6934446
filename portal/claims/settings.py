"""The pharmacy's claim settings: default fees, follow-up timing and its own reject codes.

Defined at import (portal.foundation.settings); read through the functions here so a mistyped
stored value falls back to the default instead of breaking the claim pages.
"""

import csv
from collections.abc import Mapping
from decimal import Decimal

from portal.claims.claims.reject_codes import RejectCode, RejectCodeError, reject_code_table
from portal.foundation import settings
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.money import MoneyError, parse_money

AREA = N_("Claims")

settings.define(
    "claims.dispensing_fee",
    "10.50",
    _l("Dispensing fee billed per claim"),
    kind="str",
    area=AREA,
    help=_l("NCPDP 412-DC Dispensing Fee Submitted: the pharmacy's usual fee, like 10.50."),
)
settings.define(
    "claims.compounding_fee",
    "15.00",
    _l("Compounding fee billed per compound claim"),
    kind="str",
    area=AREA,
    help=_l("Added to compound claims on top of the dispensing fee, like 15.00."),
)
settings.define(
    "claims.follow_up_days",
    3,
    _l("Days to wait before following up a resubmitted or appealed claim"),
    kind="int",
    minimum=1,
    maximum=60,
    area=AREA,
)
settings.define(
    "claims.extra_reject_codes",
    "",
    _l("The pharmacy's own reject codes"),
    kind="text",
    area=AREA,
    help=_l(
        "One per line: code, meaning, next step (like: 75, Prior Authorization Required, "
        '"fax the PA form from the shared drive"). A code already in the list is replaced.'
    ),
)


def _money_setting(key: str) -> Decimal:
    try:
        return parse_money(str(settings.get(key)))
    except (MoneyError, TypeError):
        return parse_money(settings.DEFINITIONS[key].default)


def dispensing_fee() -> Decimal:
    return _money_setting("claims.dispensing_fee")


def compounding_fee() -> Decimal:
    return _money_setting("claims.compounding_fee")


def follow_up_days() -> int:
    try:
        return max(1, int(settings.get("claims.follow_up_days")))
    except (TypeError, ValueError):
        return settings.DEFINITIONS["claims.follow_up_days"].default


def table_with(text: str) -> Mapping[str, RejectCode]:
    """The standard reject codes plus rows typed as "code, meaning, next step" lines;
    raises RejectCodeError naming the bad row."""
    rows = [
        dict(zip(("code", "meaning", "next_step"), (cell.strip() for cell in row), strict=False))
        for row in csv.reader(
            (line for line in text.splitlines() if line.strip()), skipinitialspace=True
        )
    ]
    return reject_code_table(rows)


def reject_table() -> Mapping[str, RejectCode]:
    """The standard reject codes plus the pharmacy's own rows (ignored if mistyped)."""
    try:
        return table_with(settings.get("claims.extra_reject_codes") or "")
    except RejectCodeError:
        return reject_code_table()


settings.define(
    "claims.return_to_stock_days",
    10,
    _l("Days a ready fill may wait for pickup before it is listed to return to stock"),
    kind="int",
    minimum=1,
    maximum=60,
    area=AREA,
    help=_l(
        "Commonly 10 to 14: payers expect the claim reversed within about 14 days of the "
        "fill not being picked up."
    ),
)


def return_to_stock_days() -> int:
    try:
        return max(1, int(settings.get("claims.return_to_stock_days")))
    except (TypeError, ValueError):
        return settings.DEFINITIONS["claims.return_to_stock_days"].default
