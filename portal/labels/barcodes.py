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
from itertools import groupby

from markupsafe import Markup

_PAYLOAD = re.compile(r"RX(?P<rx>[0-9]{1,12})-(?P<fill>[0-9]{1,2})")

# 10 mil (0.254 mm) modules: 2 dots on a 203 dpi thermal head, 3 on a 300 dpi one,
# within what ordinary handheld scanners read. ISO/IEC 15417 asks for a quiet
# zone of at least 10 modules on each side.
MODULE_MM = 0.254
BAR_HEIGHT_MODULES = 26  # 6.6 mm: a whole number of modules keeps the SVG in integers
BAR_HEIGHT_MM = BAR_HEIGHT_MODULES * MODULE_MM
QUIET_ZONE_MODULES = 10


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


def bar_runs(payload: str) -> list[int]:
    """Widths, in modules, of the symbol's bars and spaces in turn: a bar first and last.

    python-barcode encodes the payload (start code, digit pairs, checksum, stop).
    """
    from barcode import Code128  # with its image writers: 0.2 s at start otherwise

    return [len(list(run)) for _, run in groupby(Code128(payload).build()[0])]


def bars_svg(runs: list[int]) -> str:
    """The bars as one SVG line dashed with the runs: each dash a bar, each gap a space.

    One element and a few numbers, where a path of rectangles has five numbers a bar:
    WeasyPrint parses and draws an inline SVG's numbers one by one, and a label's
    barcode used to cost more than all its text. The line runs along the middle of
    the bars at their full height; butt ends keep every bar edge on a module edge. The
    dash pattern gets a closing gap so it never repeats within the line.
    """
    symbol = sum(runs)
    width, height = symbol + 2 * QUIET_ZONE_MODULES, BAR_HEIGHT_MODULES
    dashes = " ".join(str(run) for run in [*runs, QUIET_ZONE_MODULES])
    return (
        f'<svg class="barcode-bars" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width * MODULE_MM:.3f}mm" height="{height * MODULE_MM:.3f}mm" '
        f'viewBox="0 0 {width} {height}"><path d="M{QUIET_ZONE_MODULES} {height / 2:g}h{symbol}" '
        f'stroke="#000" stroke-width="{height}" stroke-dasharray="{dashes}"/></svg>'
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
    runs = bar_runs(payload)
    width_mm = (sum(runs) + 2 * QUIET_ZONE_MODULES) * MODULE_MM
    # Only numbers and our own markup: nothing from the payload reaches the SVG text.
    return LabelBarcode(payload, Markup(bars_svg(runs)), width_mm)  # noqa: S704
