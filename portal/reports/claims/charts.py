"""Dashboard charts drawn on the server with pygal, as static SVG images.

Each chart is embedded as an <img> with a data: URI (the CSP allows `img-src 'self' data:`).
An SVG shown through <img> never runs scripts, and we also strip the <script> pygal writes
for its tooltips (`js=[]` drops the external ones; the inline config remains), so what is
sent is a plain drawing. The numbers behind every chart are in a table beside it; the
bar heights are the only place amounts become floats (pygal draws floats).

Drawing is most of the dashboard's time (pygal: 60-70% of its CPU), so each drawing is
kept, keyed by the very values it plots: the same filters over unchanged claims are served
the kept SVG, and any change to the numbers draws afresh.
"""

from __future__ import annotations

import base64
import functools
import math
import re
import threading
from collections import OrderedDict

from flask_babel import gettext as _
from flask_babel import ngettext

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)

STYLE = dict(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#111827",
    foreground_strong="#111827",
    foreground_subtle="#6b7280",
    colors=("#0b4f6c", "#166534", "#991b1b", "#854d0e", "#0a66c2"),
    font_family="Liberation Sans, DejaVu Sans, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=15,
    title_font_size=18,
    value_font_size=13,
    no_data_font_size=20,
    opacity="0.9",
    opacity_hover="0.9",
    transition="0s",
)

_OPTIONS = {
    "js": [],
    "disable_xml_declaration": True,
    "width": 720,
    "height": 360,
    "print_values": False,
    "show_legend": False,
    "margin": 16,
}


KEPT_DRAWINGS = 128  # a few filters for each of the four charts
_kept: OrderedDict[str, str] = OrderedDict()
_kept_lock = threading.Lock()


def kept(draw):
    """Keep draw(rows)'s SVG for rows equal to ones seen before (the least recent go first).

    The key is the rows' repr: every field a chart can show (dataclass fields, Decimals
    written exactly), so two inputs share a drawing only when they would draw the same."""

    @functools.wraps(draw)
    def drawing(rows) -> str:
        key = f"{draw.__name__}:{rows!r}"
        with _kept_lock:
            if key in _kept:
                _kept.move_to_end(key)
                return _kept[key]
        svg = draw(rows)
        with _kept_lock:
            _kept[key] = svg
            while len(_kept) > KEPT_DRAWINGS:
                _kept.popitem(last=False)
        return svg

    return drawing


@functools.cache
def _pygal():
    """pygal, imported on the first drawing: it adds to every start otherwise, and its import
    hook upsets pytest's collection (see tests/claims/test_dashboard_charts.py)."""
    import pygal
    from pygal.style import Style

    return pygal, Style(**STYLE)


def _chart(kind: str, **options):
    pygal, style = _pygal()
    return getattr(pygal, kind)(style=style, **options)


def static_svg(chart) -> str:
    """The chart's SVG with every script removed."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _money_formatter(values):
    """Whole dollars on the axis, unless every amount is under $20 (then cents)."""
    largest = max((abs(v) for v in values if v is not None), default=0)
    return (lambda v: f"${v:,.2f}") if largest < 20 else (lambda v: f"${v:,.0f}")


def _counts(values) -> list:
    """Whole-number axis labels for counts (pygal would otherwise draw 0.1 steps)."""
    largest = max(values, default=0)
    step = max(1, -(-largest // 8))
    return list(range(0, largest + step + 1, step))


def _or_none(values):
    """All zero draws a bare axis; None makes pygal say there is nothing to show."""
    return values if any(values) else [None for _ in values]


@kept
def aging_chart(rows) -> str:
    """Outstanding dollars per age bucket on a logarithmic axis: the old buckets hold few
    dollars but are the ones to chase, and a linear axis draws them as slivers. The bars are
    drawn as powers of ten from $1 (pygal's own log bars start at the smallest value, which
    makes the smallest bucket vanish again); each bar says its amount and its claims."""
    amounts = [float(row.amount) for row in rows]
    chart = _chart(
        "Bar",
        title=_("Outstanding by age (days since service, log scale)"),
        no_data_text=_("Nothing outstanding"),
        print_values_position="top",
        **{**_OPTIONS, "print_values": True},
    )
    chart.x_labels = [row.label for row in rows]
    if not any(amounts):
        chart.add(_("Outstanding"), [None for _row in rows])
        return static_svg(chart)
    money = _money_formatter(amounts)
    top = math.ceil(math.log10(max(max(amounts), 10)))
    chart.range = (0, top)
    chart.y_labels = [{"label": f"${10**power:,}", "value": power} for power in range(top + 1)]
    chart.add(
        _("Outstanding"),
        [
            {
                "value": math.log10(max(amount, 1)) if amount > 0 else None,
                "formatter": lambda _value, a=amount, n=row.count: ngettext(
                    "%(amount)s · %(num)d claim", "%(amount)s · %(num)d claims", n, amount=money(a)
                ),
            }
            for row, amount in zip(rows, amounts, strict=True)
        ],
    )
    return static_svg(chart)


@kept
def rejection_chart(rows) -> str:
    """Rejection rate per payer, each payer named with the counts behind it ("(3 of 12)"): a
    rate of 2 claims and a rate of 200 do not weigh the same."""
    chart = _chart(
        "HorizontalBar",
        title=_("Rejection rate by payer (%): claims rejected of claims sent"),
        no_data_text=_("No claims"),
        **_OPTIONS,
    )
    chart.x_labels = [
        _(
            "%(name)s (%(rejected)s of %(claims)s)",
            name=row.name,
            rejected=row.rejected,
            claims=row.claims,
        )
        for row in rows
    ]
    chart.range = (0, 100)
    chart.add(
        _("Rejected"),
        [
            {
                "value": float(row.rejection_rate or 0),
                "formatter": lambda v, row=row: _(
                    "%(v)s%% · %(rejected)s of %(claims)s",
                    v=format(v, "g"),
                    rejected=row.rejected,
                    claims=row.claims,
                ),
            }
            for row in rows
        ]
        or [None],
    )
    return static_svg(chart)


@kept
def reject_codes_chart(codes: list[tuple[str, int]]) -> str:
    chart = _chart(
        "Bar", title=_("Top reject codes (times seen)"), no_data_text=_("No rejections"), **_OPTIONS
    )
    chart.x_labels = [code for code, _count in codes]
    chart.y_labels = _counts([count for _code, count in codes])
    chart.add(_("Times"), [count for _code, count in codes] or [None])
    return static_svg(chart)


@kept
def paid_vs_billed_chart(months) -> str:
    options = {**_OPTIONS, "show_legend": True, "legend_at_bottom": True}
    chart = _chart(
        "Bar",
        title=_("Billed and paid by month of service"),
        no_data_text=_("No claims"),
        **options,
    )
    chart.x_labels = [row.label for row in months]
    chart.x_label_rotation = 30 if len(months) > 8 else 0
    billed = [float(row.billed) for row in months]
    chart.value_formatter = _money_formatter(billed)
    chart.add(_("Billed"), billed or [None])
    chart.add(_("Paid"), [float(row.paid) for row in months] or [None])
    return static_svg(chart)
