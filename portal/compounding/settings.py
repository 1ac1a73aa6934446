"""The pharmacy's compounding settings: weighing tolerance, BUD table, cleaning and balances.

Defined at import (portal.foundation.settings); read through the small functions here so a
mistyped stored value falls back to the default instead of breaking the compounding screen.
"""

from decimal import Decimal, InvalidOperation

from portal.compounding.bud.table import USP_2014, USP_2023
from portal.foundation import settings
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l

AREA = N_("Compounding")

settings.define(
    "compounding.weighing_tolerance_percent",
    5,
    _l("Weighing tolerance (± %)"),
    kind="int",
    minimum=1,
    maximum=20,
    area=AREA,
    help=_l(
        "Default for new master formulas: a measured amount further than this from the "
        "required amount is flagged and needs a pharmacist's note. A common SOP figure, "
        "not a USP number."
    ),
)
settings.define(
    "compounding.bud_table",
    USP_2023,
    _l("Beyond-use date table"),
    kind="choice",
    choices=(
        (USP_2023, _l("USP <795> 2023 (current)")),
        (USP_2014, _l("Legacy USP <795> 2014 — only where the state's rules still require it")),
    ),
    area=AREA,
    help=_l(
        "The 2023 table is the standard. Choose the 2014 defaults only when your state "
        "board still cites them."
    ),
)
settings.define(
    "compounding.cleaning_interval_days",
    1,
    _l("Clean work surfaces at least every (days)"),
    kind="int",
    minimum=1,
    maximum=30,
    area=AREA,
    help=_l(
        "USP <795>: work surfaces are cleaned at least daily on compounding days. A warning "
        "shows on the compounding screens once this is overdue."
    ),
)
settings.define(
    "compounding.balance_tolerance_percent",
    "0.10",
    _l("Balance check tolerance (± % of the standard weight)"),
    kind="str",
    area=AREA,
    help=_l("USP <41>: a balance is accurate when it reads within 0.10% of the test weight."),
)


def weighing_tolerance() -> Decimal:
    """Default ± percent a measured amount may differ from the required amount."""
    return Decimal(int(settings.get("compounding.weighing_tolerance_percent")))


def bud_table() -> str:
    """ "usp2023" unless the pharmacy chose the legacy 2014 table."""
    table = settings.get("compounding.bud_table")
    return table if table in (USP_2023, USP_2014) else USP_2023


def cleaning_interval_days() -> int:
    return max(1, int(settings.get("compounding.cleaning_interval_days")))


def balance_tolerance() -> Decimal:
    """± percent of the standard weight a balance may read and still pass."""
    try:
        value = Decimal(str(settings.get("compounding.balance_tolerance_percent")).strip())
    except InvalidOperation:
        value = Decimal("0.10")
    return value if value.is_finite() and value > 0 else Decimal("0.10")
