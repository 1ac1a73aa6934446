"""Label stock as data: paper size, label size and where each label sits on the page.

A thermal roll prints one label per page (the page is the label). A laser sheet
places several labels per page at fixed positions. The renderer turns a stock
into a small ``@page`` stylesheet, so adding a stock is adding a record here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from portal.foundation.i18n import N_
from portal.labels.barcodes import BAR_HEIGHT_MM

MM_TO_PT = 72 / 25.4


@dataclass(frozen=True)
class LabelStock:
    """One kind of label paper. Lengths are in inches."""

    key: str
    description: str
    label_width: float
    label_height: float
    page_width: float
    page_height: float
    columns: int = 1
    rows: int = 1
    margin_top: float = 0.0
    margin_left: float = 0.0
    column_gap: float = 0.0
    row_gap: float = 0.0
    base_font_pt: float = 8.0  # the label's 1em; every size in label.css is relative to it
    padding: float = 0.08  # thermal heads and die-cut edges do not print to the edge

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def slot_offset(self, slot: int) -> tuple[float, float]:
        """(left, top) of a slot on its page, from the page's margin box, in inches."""
        row, column = divmod(slot, self.columns)
        return (
            column * (self.label_width + self.column_gap),
            row * (self.label_height + self.row_gap),
        )

    def for_measuring(self) -> LabelStock:
        """The same label alone on a page four times its height.

        An overfull label is then measured whole, by how far it runs over,
        instead of being split across pages by WeasyPrint.
        """
        return replace(
            self,
            key=f"{self.key}/measure",
            page_width=self.label_width,
            page_height=self.label_height * 4,
            columns=1,
            rows=1,
            margin_top=0.0,
            margin_left=0.0,
        )

    def css(self) -> str:
        """The ``@page`` rule and slot positions for this stock."""
        rules = [
            f"@page {{ size: {self.page_width}in {self.page_height}in; "
            f"margin: {self.margin_top}in 0 0 {self.margin_left}in; }}",
            f".label {{ width: {self.label_width}in; height: {self.label_height}in; "
            f"padding: {self.padding}in; font-size: {self.base_font_pt}pt; }}",
            f".foot {{ left: {self.padding}in; right: {self.padding}in; "
            f"bottom: {self.padding}in; }}",
        ]
        # The barcode and its number sit out of the flow beside the details (label.css
        # .code: 0.3em of 0.8em above the bars, one 0.8em line under them), so the
        # details keep at least that much height.
        code_pt = BAR_HEIGHT_MM * MM_TO_PT + 0.94 * self.base_font_pt + 0.5
        rules.append(f".details {{ min-height: {code_pt:.2f}pt; }}")
        for slot in range(self.per_page):
            left, top = self.slot_offset(slot)
            rules.append(f".slot-{slot} {{ left: {left:.5f}in; top: {top:.5f}in; }}")
        return "\n".join(rules)


STOCKS: dict[str, LabelStock] = {
    stock.key: stock
    for stock in (
        LabelStock(
            key="4x2.5",
            description=N_("Thermal roll, 4 x 2.5 in"),
            label_width=4,
            label_height=2.5,
            page_width=4,
            page_height=2.5,
            base_font_pt=8.5,
        ),
        LabelStock(
            key="4x2",
            description=N_("Thermal roll, 4 x 2 in"),
            label_width=4,
            label_height=2,
            page_width=4,
            page_height=2,
            base_font_pt=7.5,
            padding=0.07,
        ),
        # DYMO LabelWriter 30256 (2-5/16 x 4 in, the shipping label many pharmacies use for
        # prescriptions), laid out across: the driver turns it to the roll's direction.
        LabelStock(
            key="dymo-30256",
            description=N_("DYMO LabelWriter 30256, 4 x 2-5/16 in"),
            label_width=4,
            label_height=2.3125,
            page_width=4,
            page_height=2.3125,
            base_font_pt=8,
            padding=0.08,
        ),
        LabelStock(
            key="3x2",
            description=N_("Thermal roll, 3 x 2 in"),
            label_width=3,
            label_height=2,
            page_width=3,
            page_height=2,
            base_font_pt=7,
            padding=0.07,
        ),
        # The common 10-up sheet (Avery 5163 layout): 2 columns x 5 rows of 4 x 2 in,
        # 0.5 in top margin, 0.15625 in side margins, 0.1875 in between the columns.
        LabelStock(
            key="letter-10",
            description=N_("US letter laser sheet, 10 labels of 4 x 2 in"),
            label_width=4,
            label_height=2,
            page_width=8.5,
            page_height=11,
            columns=2,
            rows=5,
            margin_top=0.5,
            margin_left=0.15625,
            column_gap=0.1875,
            base_font_pt=7.5,  # laser type stays crisp a size smaller than thermal
            padding=0.09,
        ),
    )
}


def get_stock(key: str) -> LabelStock:
    """The stock named ``key``; ValueError naming the known keys otherwise."""
    try:
        return STOCKS[key]
    except KeyError:
        raise ValueError(f"unknown label stock {key!r}; have: {', '.join(STOCKS)}") from None
