"""WeasyPrint state kept between renders, so each label pays only for its own layout.

Parsing label.css, building a FontConfiguration (fontconfig and Pango font
maps) and parsing each stock's @page rule cost more than laying out a small
label; they are done once per process and reused. Renders are serialised by a
lock: the shared font configuration is not documented as thread-safe, and a
label takes milliseconds, so waiting costs a counter nothing.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from portal.foundation.resources import STATIC
from portal.labels.stock import LabelStock

# WeasyPrint (with Pango and fontconfig) takes 0.5-0.8 s to import: it loads with the first
# Printer, so the server starts, and serves every other page, without waiting for it.
if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.document import Document

LABEL_CSS = STATIC / "css" / "label.css"
BASE_URL = STATIC.as_uri() + "/"

render_lock = threading.Lock()


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz (fast) rather than fontTools (slow).

    The same test WeasyPrint 70 makes in ``pdf/fonts.py``: libharfbuzz-subset
    loaded (``text/ffi.py`` opens it with ``allow_fail``) and HarfBuzz >= 4.1.0.
    Without it every PDF is several times slower to write. Asked of the libraries
    directly, by the names WeasyPrint tries, so the app starts without loading WeasyPrint.
    """
    harfbuzz = _open_library("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
    subset = _open_library(
        "libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"
    )
    return (
        harfbuzz is not None and subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    )


def _open_library(*names: str):
    import ctypes

    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


class Printer:
    """The parsed stylesheets and font configuration; use under ``render_lock``."""

    def __init__(self, label_css: Path = LABEL_CSS) -> None:
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self._label_css_path = label_css
        self._label_css: tuple[int, CSS] | None = None
        self._stock_css: dict[str, CSS] = {}

    def label_css(self) -> CSS:
        """label.css, parsed again only when the file changes (editing it in development)."""
        mtime = self._label_css_path.stat().st_mtime_ns
        if self._label_css is None or self._label_css[0] != mtime:
            from weasyprint import CSS

            css = CSS(filename=str(self._label_css_path), font_config=self.font_config)
            self._label_css = (mtime, css)
        return self._label_css[1]

    def stock_css(self, stock: LabelStock) -> CSS:
        if stock.key not in self._stock_css:
            from weasyprint import CSS

            self._stock_css[stock.key] = CSS(string=stock.css(), font_config=self.font_config)
        return self._stock_css[stock.key]

    def layout(self, html: str, stock: LabelStock) -> Document:
        """Lay out an HTML document of labels on ``stock``'s pages."""
        from weasyprint import HTML

        return HTML(string=html, base_url=BASE_URL).render(
            stylesheets=[self.label_css(), self.stock_css(stock)],
            font_config=self.font_config,
        )


def pdf_bytes(document: Document) -> bytes:
    """The PDF, uncompressed: deflating it takes a third of the writing time, and a
    label PDF crosses the pharmacy's own network once (100 labels: about 650 KB)."""
    return document.write_pdf(uncompressed_pdf=True)


def join_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """The pages of ``pdfs`` in turn as one PDF, with the first one's title and metadata."""
    from pypdf import PdfReader, PdfWriter  # only to join batches

    readers = [PdfReader(io.BytesIO(pdf)) for pdf in pdfs]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    if readers[0].metadata:
        writer.add_metadata(readers[0].metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_printer: Printer | None = None


def shared_printer() -> Printer:
    """The process's printer, made on first use."""
    global _printer
    if _printer is None:
        _printer = Printer()
    return _printer
