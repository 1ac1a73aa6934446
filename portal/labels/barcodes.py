"""The label barcode: Code 128 of the Rx and fill number, drawn as inline SVG.

Payload: ``RX{rx_number}-{fill_number}``, e.g. ``RX100123-1`` is the first
refill of Rx 100123 and ``RX100123-0`` its original fill. The "RX" prefix tells
it apart from a package's NDC barcode at the verification scan; Code 128
switches to its digit-pair set for the number, so the symbol stays short
enough for a 3 x 2 in label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from barcode import Code128
from barcode.writer import BaseWriter
from markupsafe import Markup

_PAYLOAD = re.compile(r"RX(?P<rx>\d{1,12})-(?P<fill>\d{1,2})")

# 10 mil (0.254 mm) modules: 2 dots on a 203 dpi thermal head, 3 on a 300 dpi one,
# within what ordinary handheld scanners read. ISO/IEC 15417 asks for a quiet
# zone of at least 10 modules on each side.
MODULE_MM = 0.254
BAR_HEIGHT_MM = 26 * MODULE_MM  # 6.6 mm: a whole number of modules keeps the SVG in integers
QUIET_ZONE_MM = 10 * MODULE_MM


def label_barcode(rx_number: str, fill_number: int) -> str:
    """The payload encoded on the label: label_barcode("100123", 1) == "RX100123-1"."""
    return f"RX{rx_number}-{fill_number}"


def parse_label_barcode(text: str) -> tuple[str, int]:
    """(rx_number, fill_number) read from a scan; ValueError if it is not a label barcode.

    Scanners may add a newline or tab and some send lower case: both are ignored.
    """
    cleaned = "".join(text.split()).upper()
    match = _PAYLOAD.fullmatch(cleaned)
    if match is None:
        raise ValueError(f'"{text.strip()}" is not a Mortar label barcode (like RX100123-1)')
    return match["rx"], int(match["fill"])


class BarPathWriter(BaseWriter):
    """python-barcode's bar layout drawn as one SVG ``<path>``, sized in millimetres.

    python-barcode's own SVGWriter draws a ``<rect>`` per bar; WeasyPrint styles
    and draws each element of an inline SVG separately, so one path is several
    times cheaper to print and looks the same.
    """

    def __init__(self) -> None:
        super().__init__(self._start, self._paint_bar, None, self._finish)
        self._bars: list[str] = []
        self._size = (0.0, 0.0)

    def _start(self, code: list[str]) -> None:
        self._bars = []
        self._size = self.calculate_size(len(code[0]), 1)

    def _paint_bar(self, xpos: float, ypos: float, width: float, color: str) -> None:
        # The path is drawn in modules, so every coordinate is a short whole number.
        if color == self.foreground:
            x, w = round(xpos / self.module_width), round(width / self.module_width)
            self._bars.append(f"M{x} 0h{w}v{self._height_modules}h-{w}z")

    @property
    def _height_modules(self) -> int:
        return round(self.module_height / self.module_width)

    @property
    def width_mm(self) -> float:
        return round(self._size[0] / self.module_width) * self.module_width

    def _finish(self) -> str:
        width = round(self._size[0] / self.module_width)
        height = self._height_modules
        return (
            f'<svg class="barcode-bars" xmlns="http://www.w3.org/2000/svg" '
            f'width="{self.width_mm:.3f}mm" height="{height * self.module_width:.3f}mm" '
            f'viewBox="0 0 {width} {height}"><path d="{"".join(self._bars)}"/></svg>'
        )


@dataclass(frozen=True)
class LabelBarcode:
    """A drawn barcode: the payload, its ``<svg>`` element and how wide it prints."""

    payload: str
    svg: Markup
    width_mm: float


@lru_cache(maxsize=512)
def draw_barcode(payload: str) -> LabelBarcode:
    """The payload's Code 128 symbol as an inline ``<svg>`` element."""
    writer = BarPathWriter()
    svg = Code128(payload, writer=writer).render(
        {
            "module_width": MODULE_MM,
            "module_height": BAR_HEIGHT_MM,
            "quiet_zone": QUIET_ZONE_MM,
            "margin_top": 0,
            "margin_bottom": 0,
            "write_text": False,  # the template prints the payload in its own type
        }
    )
    # Only numbers and our own markup: nothing from the payload reaches the SVG text.
    return LabelBarcode(payload, Markup(svg), writer.width_mm)  # noqa: S704
