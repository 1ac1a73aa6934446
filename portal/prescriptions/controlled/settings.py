"""The pharmacy's C-II limits (portal.foundation.settings), federal defaults; a state may
only tighten them, so the bounds are the federal figures."""

from portal.foundation import settings
from portal.foundation.i18n import lazy_gettext as _l
from portal.prescriptions.controlled.rules import OriginLimits

AREA = "Prescriptions"

_LIMITS = (
    (
        "follow_up_days",
        7,
        _l("Emergency C-II: follow-up prescription due within (days)"),
        _l("21 CFR 1306.11(d)(4): 7 days; a state may require it sooner."),
    ),
    (
        "out_of_stock_hours",
        72,
        _l("C-II partly filled for lack of stock: remainder within (hours)"),
        _l("21 CFR 1306.13(a): 72 hours from the first partial fill."),
    ),
    (
        "request_days",
        30,
        _l("C-II partly filled on request: remainders until (days after written)"),
        _l("21 USC 829(f): 30 days after the date written."),
    ),
    (
        "ltcf_days",
        60,
        _l("C-II for long-term care or terminal illness: partial fills until (days)"),
        _l("21 CFR 1306.13(b): 60 days from the date written."),
    ),
)

for name, default, label, help_text in _LIMITS:
    settings.define(
        f"controlled.{name}",
        default,
        label,
        kind="int",
        minimum=1,
        maximum=default,
        area=AREA,
        help=help_text,
    )


def origin_limits() -> OriginLimits:
    """The limits as stored; a value outside the federal bounds falls back to the default."""
    values = {}
    for name, default, _label, _help in _LIMITS:
        try:
            value = int(settings.get(f"controlled.{name}"))
        except (TypeError, ValueError):
            value = default
        values[name] = value if 1 <= value <= default else default
    return OriginLimits(**values)
