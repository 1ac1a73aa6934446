"""Does a label's text fit? Read from WeasyPrint's laid-out boxes, not guessed from lengths.

Each label is a fixed-size box with a ``.body`` flowing from the top and a
``.foot`` pinned to the bottom. A label fits when the body ends above the foot
and no word or barcode runs past the label's right or bottom edge. Text that
does not fit is still laid out (or, past a page, discarded by label.css), so
the boxes always tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import inf
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # WeasyPrint loads only when a label is laid out (0.5-0.8 s at start)
    from weasyprint.document import Document
    from weasyprint.formatting_structure.boxes import Box

# Layout is in CSS px (0.75 pt); a quarter pixel absorbs rounding.
TOLERANCE_PX = 0.25


@dataclass
class Measurement:
    """One laid-out label: how far its text runs over (px; at most 0 when it fits)."""

    overflow_px: float = inf

    @property
    def fits(self) -> bool:
        return self.overflow_px <= TOLERANCE_PX


def measure(document: Document) -> list[Measurement]:
    """A measurement per label, in document order."""
    by_element: dict[int, Measurement] = {}
    for page in document.pages:
        # WeasyPrint 70 (pinned) keeps a page's laid-out box tree in Page._page_box.
        for box in _label_boxes(page._page_box):
            key = id(box.element)
            if key in by_element:  # a second fragment: the label ran over its page
                by_element[key].overflow_px = inf
            else:
                by_element[key] = _measure_label(box)
    return list(by_element.values())


def _classes(box: Box) -> list[str]:
    element = box.element
    return [] if element is None else (element.get("class") or "").split()


def _label_boxes(root: Box) -> list[Box]:
    """The outermost box of each ``.label``, in document order."""
    found, stack = [], [root]
    while stack:
        box = stack.pop()
        if "label" in _classes(box):
            found.append(box)
            continue
        stack.extend(reversed(getattr(box, "children", ())))
    return found


def _measure_label(label: Box) -> Measurement:
    from weasyprint.formatting_structure.boxes import ReplacedBox, TextBox

    right_edge = label.content_box_x() + label.width
    bottom_edge = label.content_box_y() + label.height
    body_bottom = foot_top = None
    overflow = -inf
    stack = [label]
    while stack:
        box = stack.pop()
        classes = _classes(box)
        # Pre-order: the first box seen for an element is its own, not an anonymous child's.
        if body_bottom is None and "body" in classes:
            body_bottom = box.position_y + box.margin_height()
        if foot_top is None and "foot" in classes:
            foot_top = box.position_y
        if isinstance(box, TextBox | ReplacedBox):
            overflow = max(
                overflow,
                box.position_x + box.margin_width() - right_edge,
                box.position_y + box.margin_height() - bottom_edge,
            )
        stack.extend(getattr(box, "children", ()))
    if body_bottom is None or foot_top is None:
        return Measurement()
    return Measurement(max(overflow, body_bottom - foot_top))
