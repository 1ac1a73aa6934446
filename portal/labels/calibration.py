"""The calibration label: each label's outline, the printable area inside the padding, and a
1-inch ruler across and down, printed from the print setup page to check that the printer
prints at 100 % and where the stock sits before a patient's label is printed on it."""

from __future__ import annotations

from dataclasses import dataclass

from portal.labels.stock import LabelStock

TICKS_PER_INCH = 8


@dataclass(frozen=True)
class Slot:
    """Where one label sits on the page, in inches."""

    left: float
    top: float


def slots(stock: LabelStock) -> list[Slot]:
    """Every label position on one page of the stock (one on a roll, ten on a sheet)."""
    return [
        Slot(stock.margin_left + left, stock.margin_top + top)
        for left, top in (stock.slot_offset(n) for n in range(stock.per_page))
    ]


def ticks() -> list[tuple[float, bool]]:
    """(position in inches, long tick?) along the 1-inch ruler: long at 0, 1/2 and 1 inch."""
    return [(n / TICKS_PER_INCH, n % (TICKS_PER_INCH // 2) == 0) for n in range(TICKS_PER_INCH + 1)]


def page_css(stock: LabelStock) -> str:
    """The page exactly the stock's paper, no margin: the outline lands on the label's edge."""
    return f"@page {{ size: {stock.page_width}in {stock.page_height}in; margin: 0; }}"


def calibration_pdf(html: str, stock: LabelStock) -> bytes:
    """The calibration page as PDF (WeasyPrint, loaded only when one is printed)."""
    from weasyprint import CSS, HTML

    from portal.labels.printer import BASE_URL, render_lock

    with render_lock:
        return HTML(string=html, base_url=BASE_URL).write_pdf(
            stylesheets=[CSS(string=page_css(stock))]
        )
