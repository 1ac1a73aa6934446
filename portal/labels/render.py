"""Render prescription labels to one PDF: many labels, one document, one layout pass.

    result = render_labels(labels, "4x2.5", app.jinja_env, copies=1)
    result.pdf        # bytes to send to the printer
    result.overflow   # labels whose text could not fit, and which fields; warn before printing

A batch is laid out once. Labels that do not fit are measured again at
smaller steps (layout.py) and only their pages are laid out once more. Given
``workers`` > 1, a large batch is cut into parts laid out on several cores
at once (pool.py) and their PDFs joined; where the portal is served, a single
label is laid out in a worker process, off the server's busy core.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from jinja2 import Environment

from portal.foundation.collector import collector_paused
from portal.labels.barcodes import label_barcode, parse_label_barcode
from portal.labels.data import (
    COMMON_AUXILIARY_LABELS,
    CompoundDetails,
    CompoundIngredient,
    LabelData,
    LabelPharmacy,
)
from portal.labels.fit import measure
from portal.labels.layout import (
    LabelLayout,
    directions_below_minimum,
    fit_entries,
    label_entry,
)
from portal.labels.pool import batch_parts, exit_with_parent, shared_pool
from portal.labels.printer import (
    harfbuzz_subsetting_available,
    join_pdfs,
    pdf_bytes,
    render_lock,
    shared_printer,
)
from portal.labels.stock import STOCKS, get_stock

__all__ = [
    "COMMON_AUXILIARY_LABELS",
    "STOCKS",
    "CompoundDetails",
    "CompoundIngredient",
    "LabelData",
    "LabelOverflow",
    "LabelPharmacy",
    "RenderResult",
    "harfbuzz_subsetting_available",
    "label_barcode",
    "parse_label_barcode",
    "render_label",
    "render_labels",
]


@dataclass(frozen=True)
class LabelOverflow:
    """A label whose text did not fit: ``fields`` print as "see attached sheet" notices.

    ``fields`` ends with "label" when the label is overfull even so (then some
    text is not on it at all); the print page must not let that pass unnoticed.
    """

    index: int  # position in the labels passed in
    rx_number: str
    fill_number: int
    fields: tuple[str, ...]


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    overflow: list[LabelOverflow]
    page_count: int
    # The HTML laid out, for tests: a batch laid out in parts has their documents in turn.
    html: str
    # Patient-centred labels whose directions print under 12 pt (positions in the batch).
    small_directions: tuple[int, ...] = ()


def render_label(
    label: LabelData, stock: str, jinja_env: Environment, copies: int = 1
) -> RenderResult:
    """One label (and its copies) as a PDF."""
    return render_labels([label], stock, jinja_env, copies)


def render_labels(
    labels: Sequence[LabelData],
    stock: str,
    jinja_env: Environment,
    copies: int = 1,
    workers: int = 1,
) -> RenderResult:
    """All ``labels`` in one PDF, each ``copies`` times in a row, on the stock named ``stock``.

    With ``workers`` > 1 a batch large enough is laid out in parts on that many cores, and
    any other in a worker once the server has started them (pool.start_for_server).
    """
    if not labels:
        raise ValueError("no labels to render")
    if copies < 1:
        raise ValueError("copies must be at least 1")
    parts = batch_parts(len(labels), copies, get_stock(stock).per_page, workers)
    if len(parts) < 2 and shared_pool.takes_single(workers):
        return _render_in_worker(labels, stock, jinja_env, copies)
    if len(parts) < 2 or not shared_pool.ready(workers):
        return _render_here(labels, stock, jinja_env, copies)
    elsewhere = [
        (part, shared_pool.submit(labels[part.start : part.stop], stock, copies))
        for part in parts[1:]
    ]
    results = [_render_here(labels[parts[0].start : parts[0].stop], stock, jinja_env, copies)]
    for part, future in elsewhere:
        part_labels = labels[part.start : part.stop]
        results.append(_worker_result(future, part_labels, stock, jinja_env, copies))
    return _joined(results, parts)


def _render_in_worker(
    labels: Sequence[LabelData], stock: str, jinja_env: Environment, copies: int
) -> RenderResult:
    """``labels`` laid out whole in a worker process; here if the worker is gone."""
    try:
        future = shared_pool.submit(labels, stock, copies)
    except BrokenProcessPool:  # stopped since takes_single() said yes
        return _render_here(labels, stock, jinja_env, copies)
    return _worker_result(future, labels, stock, jinja_env, copies)


def _worker_result(
    future, labels: Sequence[LabelData], stock: str, jinja_env: Environment, copies: int
) -> RenderResult:
    """What a worker laid out; ``labels`` laid out here instead if the worker stopped."""
    try:
        return future.result()
    except BrokenProcessPool:
        log.warning("Labels: a label worker stopped; laying its labels out here")
        shared_pool.restart()
        return _render_here(labels, stock, jinja_env, copies)


def _joined(results: Sequence[RenderResult], parts: Sequence[range]) -> RenderResult:
    """The parts' results as one: PDFs joined, overflow indices counted from the batch's start."""
    return RenderResult(
        pdf=join_pdfs([result.pdf for result in results]),
        overflow=[
            replace(item, index=item.index + part.start)
            for result, part in zip(results, parts, strict=True)
            for item in result.overflow
        ],
        page_count=sum(result.page_count for result in results),
        html="\n".join(result.html for result in results),
        small_directions=tuple(
            index + part.start
            for result, part in zip(results, parts, strict=True)
            for index in result.small_directions
        ),
    )


def _render_here(
    labels: Sequence[LabelData], stock: str, jinja_env: Environment, copies: int
) -> RenderResult:
    """``labels`` laid out in this process, in one document."""
    label_stock = get_stock(stock)
    entries = [label_entry(index, label) for index, label in enumerate(labels)]
    # WeasyPrint makes hundreds of thousands of objects for a batch; full collections
    # walking them all again were a quarter of a 100-label render.
    with render_lock, collector_paused():
        layout = LabelLayout(shared_printer(), jinja_env, label_stock)
        html, document = layout.run(entries, copies)
        fits = [m.fits for m in measure(document)[::copies]]
        if not all(fits):
            failing = [entry for entry, ok in zip(entries, fits, strict=True) if not ok]
            fitted = {entry.index: entry for entry in fit_entries(layout, failing)}
            entries = [fitted.get(entry.index, entry) for entry in entries]
            html, document = layout.rerun(document, entries, copies, set(fitted))
            fits = [m.fits for m in measure(document)[::copies]]
        # What is reported is what the printed document shows.
        entries = [
            entry if ok else replace(entry, overfull=True)
            for entry, ok in zip(entries, fits, strict=True)
        ]
        pdf = pdf_bytes(document)
        page_count = len(document.pages)
        # Let go of the laid-out boxes (WeasyPrint's are full of reference cycles) before
        # the collector runs again: its first pass then frees them, instead of walking
        # them all and keeping them for a later, older-generation pass.
        del document
    overflow = [
        LabelOverflow(
            index=entry.index,
            rx_number=entry.label.rx_number,
            fill_number=entry.label.fill_number,
            fields=entry.given_up + (("label",) if entry.overfull else ()),
        )
        for entry in entries
        if entry.given_up or entry.overfull
    ]
    small = tuple(entry.index for entry in entries if directions_below_minimum(entry))
    return RenderResult(
        pdf=pdf, overflow=overflow, page_count=page_count, html=html, small_directions=small
    )


# --- in the worker processes -------------------------------------------------------

_worker_env = None


def _start_worker(parent_pid: int) -> None:
    """Load WeasyPrint, the template and the fonts once, and leave when the server does."""
    global _worker_env
    from jinja2 import FileSystemLoader

    from portal.foundation.resources import TEMPLATES
    from portal.labels.samples import sample_label

    _worker_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    render_part([sample_label()], "4x2.5", 1)  # warm: fonts and layout loaded before a batch
    threading.Thread(target=exit_with_parent, args=(parent_pid,), daemon=True).start()


def render_part(labels: list[LabelData], stock: str, copies: int):
    """One part of a batch, laid out in this worker as render_labels would here."""
    return render_labels(labels, stock, _worker_env, copies)


shared_pool.use(render_part, _start_worker)
