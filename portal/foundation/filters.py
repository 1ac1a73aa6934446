"""Template filters: times in the pharmacy's zone, dates and money the way staff read them."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask, g

from portal.foundation.dates import to_local
from portal.foundation.money import CENT, format_money


def _zone() -> str | None:
    pharmacy = g.get("pharmacy")
    return pharmacy.time_zone if pharmacy else None


def local_time(moment: datetime | None, fmt: str = "%m/%d/%Y %I:%M %p") -> str:
    local = to_local(moment, _zone())
    return local.strftime(fmt) if local else ""


def us_date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def money(value: Decimal | int | None) -> str:
    """An amount as "$1,234.56" (portal.foundation.money.format_money); empty for None.

    Amounts kept finer than a cent (an ingredient's cost per gram) are shown rounded to
    the cent here; money itself is never stored that way.
    """
    if value is None:
        return ""
    return format_money(Decimal(value).quantize(CENT, ROUND_HALF_UP))


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(us_date, "us_date")
    app.add_template_filter(money, "money")
    app.jinja_env.globals["url_exists"] = lambda endpoint: endpoint in app.view_functions
