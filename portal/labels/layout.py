"""Labels laid out by WeasyPrint, and the search for the largest type that fits.

Long text shrinks a step at a time (``fit-0`` .. ``fit-4`` in label.css). If
even the smallest step is too small, the least important fields are given up:
a "text does not fit, see attached sheet" notice naming them stands in their
place, so nothing is ever cut off silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from jinja2 import Environment

from portal.foundation.i18n import translations
from portal.labels.barcodes import LabelBarcode, draw_barcode
from portal.labels.content import FIELD_TITLES, LabelContent, label_content
from portal.labels.data import LabelData
from portal.labels.fit import Measurement, measure
from portal.labels.printer import Printer
from portal.labels.stock import LabelStock

if TYPE_CHECKING:
    from weasyprint.document import Document

TEMPLATE = "labels/label.html"
SMALLEST_FIT = 4  # the last step in label.css; smaller type stops being readable
ALL_STEPS = range(SMALLEST_FIT + 1)
# Which fields may print as a notice, in the order they are given up. Cautions go
# first (pharmacies also have them as stickers), then a compound's ingredient
# list, then the directions (the attached sheet carries them in full), the drug
# name last. The pharmacy, Rx, patient, quantity, refills, dates, the compound
# statement, dosage form and internal ID, and the federal warning are short and
# never given up.
GIVE_UP_ORDER = ("auxiliary", "ingredients", "directions", "drug")
# Patient-centred labels print directions in points (label.css .centred): 14, 13 and 12 pt at
# steps 0-2, the 12 pt USP <17> asks for; steps 3 and 4 (10 and 8.5 pt) are the largest that
# fit on a small stock, and the print page says so.
CENTRED_SMALL_STEPS = frozenset({3, 4})


Sheet = list[tuple[int, "LabelEntry"]]  # (slot on the page, entry), a page's worth


@dataclass(frozen=True)
class LabelEntry:
    """One label as the template sees it, with its fit step and any fields given up."""

    index: int
    label: LabelData
    content: LabelContent
    barcode: LabelBarcode
    fit: int = 0
    given_up: tuple[str, ...] = ()
    overfull: bool = False  # even with every field given up, it does not fit

    @property
    def notice_at(self) -> str | None:
        """The given-up field, first on the label, where the one notice is printed."""
        return next((name for name in FIELD_TITLES if name in self.given_up), None)

    @property
    def notice(self) -> str:
        gettext = translations(self.label.language).gettext
        titles = ", ".join(
            gettext(FIELD_TITLES[name]) for name in FIELD_TITLES if name in self.given_up
        )
        return gettext("%(fields)s: text does not fit — see attached sheet") % {"fields": titles}


def directions_below_minimum(entry: LabelEntry) -> bool:
    """A patient-centred label whose directions print under 12 pt (the stock is too small)."""
    return (
        entry.label.patient_centred
        and entry.fit in CENTRED_SMALL_STEPS
        and "directions" not in entry.given_up
    )


def label_entry(index: int, label: LabelData) -> LabelEntry:
    """``label`` ready for the template, at the largest step: text formatted, barcode drawn."""
    return LabelEntry(
        index=index,
        label=label,
        content=label_content(label),
        barcode=draw_barcode(label.barcode),
    )


class LabelLayout:
    """The label template and the printer, for one stock."""

    def __init__(self, printer: Printer, jinja_env: Environment, stock: LabelStock) -> None:
        self.printer = printer
        self.template = jinja_env.get_template(TEMPLATE)
        self.stock = stock

    def sheets(
        self, entries: Sequence[LabelEntry], copies: int = 1, stock: LabelStock | None = None
    ) -> list[Sheet]:
        """``copies`` of each entry in a row, cut into pages of the stock's slots."""
        per_page = (stock or self.stock).per_page
        placed = [entry for entry in entries for _ in range(copies)]
        return [
            list(enumerate(placed[start : start + per_page]))
            for start in range(0, len(placed), per_page)
        ]

    def html(self, sheets: list[Sheet]) -> str:
        return self.template.render(sheets=sheets, title="Prescription labels")

    def run(self, entries: Sequence[LabelEntry], copies: int = 1) -> tuple[str, Document]:
        """Lay out the entries as they will print."""
        html = self.html(self.sheets(entries, copies))
        return html, self.printer.layout(html, self.stock)

    def rerun(
        self, document: Document, entries: Sequence[LabelEntry], copies: int, changed: set[int]
    ) -> tuple[str, Document]:
        """``document`` with only the pages holding a changed entry laid out again.

        Pages of several WeasyPrint documents combine into one PDF; relaying
        out a whole batch for one long label would double its cost.
        """
        sheets = self.sheets(entries, copies)
        html = self.html(sheets)
        redo = [n for n, sheet in enumerate(sheets) if any(e.index in changed for _, e in sheet)]
        redone = self.printer.layout(self.html([sheets[n] for n in redo]), self.stock)
        if len(document.pages) != len(sheets) or len(redone.pages) != len(redo):
            # A label ran onto a page of its own: pages no longer match sheets.
            return html, self.printer.layout(html, self.stock)
        pages = list(document.pages)
        for number, page in zip(redo, redone.pages, strict=True):
            pages[number] = page
        return html, document.copy(pages)

    def measure(self, entries: Sequence[LabelEntry]) -> list[Measurement]:
        """Lay out the entries alone on tall pages and measure each."""
        stock = self.stock.for_measuring()
        html = self.html(self.sheets(entries, stock=stock))
        return measure(self.printer.layout(html, stock))


def fit_entries(layout: LabelLayout, entries: Sequence[LabelEntry]) -> list[LabelEntry]:
    """Each entry (none fits at step 0) at the largest step that fits.

    Steps are tried one at a time, all entries together in one document per
    step, so a label a line too long costs one more small layout. Fields are
    given up only for an entry that fits at no step.
    """
    fitted: dict[int, LabelEntry] = {}
    pending = list(entries)
    for step in range(1, SMALLEST_FIT + 1):
        candidates = [replace(entry, fit=step) for entry in pending]
        pending = []
        for candidate, measurement in zip(candidates, layout.measure(candidates), strict=True):
            if measurement.fits:
                fitted[candidate.index] = candidate
            else:
                pending.append(candidate)
        if not pending:
            break
    for entry in pending:
        fitted[entry.index] = _give_up_fields(layout, entry)
    return [fitted[entry.index] for entry in entries]


def _give_up_fields(layout: LabelLayout, entry: LabelEntry) -> LabelEntry:
    """``entry`` with the fewest, least important fields given up that lets it fit."""
    content = entry.content
    present = [
        name
        for name, printed in zip(
            GIVE_UP_ORDER,
            (content.auxiliary, content.ingredients, content.directions, content.drug),
            strict=True,
        )
        if printed
    ]
    # Every choice at the smallest step, in one document; the first that fits keeps
    # the most important fields (see _give_up_choices).
    candidates = [
        replace(entry, fit=SMALLEST_FIT, given_up=choice) for choice in _give_up_choices(present)
    ]
    for candidate, measurement in zip(candidates, layout.measure(candidates), strict=True):
        if measurement.fits:
            # With fields given up there may be room for larger type again.
            return _largest_step(layout, candidate, ALL_STEPS)
    return replace(entry, fit=SMALLEST_FIT, given_up=tuple(present), overfull=True)


def _give_up_choices(present: list[str]) -> list[tuple[str, ...]]:
    """Non-empty sets of ``present`` fields, best first.

    ``present`` runs from least to most important. Counting in binary with the
    least important field as the lowest bit lists every set that keeps a more
    important field before any set that gives it up: cautions alone, ingredients
    alone, both, then directions, and so on.
    """
    return [
        tuple(name for bit, name in enumerate(present) if number >> bit & 1)
        for number in range(1, 2 ** len(present))
    ]


def _largest_step(layout: LabelLayout, entry: LabelEntry, steps: range) -> LabelEntry:
    """The first of ``steps`` at which ``entry`` fits, else the last; one layout for all."""
    candidates = [replace(entry, fit=step) for step in steps]
    for candidate, measurement in zip(candidates, layout.measure(candidates), strict=True):
        if measurement.fits:
            return candidate
    return candidates[-1]
