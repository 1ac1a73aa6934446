"""The pharmacy's prescription settings, defined at import (portal.foundation.settings).

Read through the functions here, which build the plain values the rules take, so a
stored value that no longer fits falls back to the domain default instead of failing.
"""

from decimal import Decimal

from portal.foundation import settings
from portal.foundation.i18n import lazy_gettext as _l
from portal.prescriptions.policy import ExpiryLimits, parse_extra_sig_codes
from portal.prescriptions.screening.facts import CheckSettings, ControlledLimits

AREA = "Prescriptions"

settings.define(
    "prescriptions.rx_number_start",
    100001,
    _l("First prescription number"),
    kind="int",
    minimum=1,
    maximum=999_999_999_999,
    area=AREA,
    help=_l(
        "Numbers are issued in order from here. Raising it skips ahead (e.g. to follow on "
        "from a previous system); lowering it never reuses a number already issued."
    ),
)
settings.define(
    "prescriptions.refill_too_soon_percent",
    75,
    # The percent sign is filled in, so the translator sees no bare % (a format placeholder).
    _l("Refill too soon before (%(percent)s of the days supply used)", percent="%"),
    kind="int",
    minimum=50,
    maximum=100,
    area=AREA,
    help=_l(
        "A refill before this share of the previous fill's days supply has passed is "
        "flagged for the pharmacist."
    ),
)
settings.define(
    "prescriptions.days_valid",
    365,
    _l("Non-controlled prescriptions expire after (days from the date written)"),
    kind="int",
    minimum=30,
    maximum=730,
    area=AREA,
    help=_l("State law; commonly one year."),
)
settings.define(
    "prescriptions.days_valid_c2",
    180,
    _l("C-II prescriptions expire after (days from the date written)"),
    kind="int",
    minimum=1,
    maximum=365,
    area=AREA,
    help=_l("No federal limit; many states allow six months or less."),
)
settings.define(
    "prescriptions.max_refills_c3_c4",
    5,
    _l("Most refills of a C-III or C-IV prescription"),
    kind="int",
    minimum=0,
    maximum=5,
    area=AREA,
    help=_l("21 CFR 1306.22 allows 5; a state may allow fewer."),
)
settings.define(
    "prescriptions.active_grace_days",
    7,
    _l("A dispensed fill counts as taken for its days supply plus (days)"),
    kind="int",
    minimum=0,
    maximum=90,
    area=AREA,
    help=_l(
        "Screening for interactions and duplicate therapy looks at fills whose days supply, "
        "plus these days, has not run out (patients rarely finish on the exact day)."
    ),
)
settings.define(
    "prescriptions.extra_sig_codes",
    "",
    _l("The pharmacy's own sig codes"),
    kind="text",
    area=AREA,
    help=_l(
        "One per line as code = words, e.g. “wf = with food”. They are added to the "
        "built-in table and win over it."
    ),
    check=lambda text: parse_extra_sig_codes(str(text))[1],
)
settings.define(
    "prescriptions.extra_sig_codes_es",
    "",
    _l("Spanish words for the pharmacy's own sig codes"),
    kind="text",
    area=AREA,
    help=_l(
        "One per line as code = palabras, e.g. “wf = con alimentos”, for the codes above "
        "and for any built-in one (not a dose unit) to be worded differently. A sig is put "
        "in Spanish only when every code in it has Spanish words."
    ),
    check=lambda text: parse_extra_sig_codes(str(text))[1],
)
settings.define(
    "prescriptions.upload_max_mb",
    10,
    _l("Largest scan or photo of a prescription (MB)"),
    kind="int",
    minimum=1,
    maximum=15,
    area=AREA,
)


def _int(key: str, low: int, high: int) -> int:
    default = settings.DEFINITIONS[key].default
    try:
        value = int(settings.get(key))
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def rx_number_start() -> int:
    return _int("prescriptions.rx_number_start", 1, 999_999_999_999)


def check_settings() -> CheckSettings:
    """The safety checks' settings from the pharmacy's choices."""
    percent = _int("prescriptions.refill_too_soon_percent", 50, 100)
    max_refills = _int("prescriptions.max_refills_c3_c4", 0, 5)
    return CheckSettings(
        controlled=ControlledLimits(
            max_refills_c3=max_refills,
            max_refills_c4=max_refills,
            days_valid_c2=_int("prescriptions.days_valid_c2", 1, 365),
        ),
        days_valid=_int("prescriptions.days_valid", 30, 730),
        refill_due_fraction=Decimal(percent) / 100,
    )


def expiry_limits() -> ExpiryLimits:
    return ExpiryLimits(
        days_valid=_int("prescriptions.days_valid", 30, 730),
        days_valid_c2=_int("prescriptions.days_valid_c2", 1, 365),
    )


def active_grace_days() -> int:
    return _int("prescriptions.active_grace_days", 0, 90)


def max_refills_c3_c4() -> int:
    return _int("prescriptions.max_refills_c3_c4", 0, 5)


def extra_sig_codes() -> dict[str, str]:
    codes, _problems = parse_extra_sig_codes(str(settings.get("prescriptions.extra_sig_codes")))
    return codes


def extra_sig_codes_es() -> dict[str, str]:
    codes, _problems = parse_extra_sig_codes(str(settings.get("prescriptions.extra_sig_codes_es")))
    return codes


def upload_max_bytes() -> int:
    return _int("prescriptions.upload_max_mb", 1, 15) * 1024 * 1024
