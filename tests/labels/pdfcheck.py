"""Reading a label PDF back the way a person would: its text, and where each word sits.

Text comes from pypdf. Word boxes come from poppler's ``pdftotext -bbox``, an
independent reader, so a word drawn over another word, or off the page, shows
up even though both are in the PDF's text.
"""

import html
import io
import re
import subprocess
from dataclasses import dataclass

from pypdf import PdfReader

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, whitespace (line breaks, no-break spaces) collapsed to spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def compact(text: str) -> str:
    """Text without any whitespace: a phrase wrapped over lines still matches itself."""
    return "".join(text.split())


def page_sizes_in(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's (width, height) in inches (PDF points / 72)."""
    boxes = [page.mediabox for page in PdfReader(io.BytesIO(pdf)).pages]
    return [(round(float(box.width) / 72, 4), round(float(box.height) / 72, 4)) for box in boxes]


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[Word]


def word_boxes(pdf: bytes, tmp_path) -> list[Page]:
    """Every word with its box in points, per page, as poppler lays the PDF out."""
    path = tmp_path / "label.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for width, height, body in _PAGE.findall(xhtml):
        words = [
            Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        ]
        pages.append(Page(float(width), float(height), words))
    return pages


def collisions(page: Page) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other.

    Boxes run from the font's ascent to its descent, so lines set tight touch a
    little: a collision is an overlap of over a third of the smaller word's height.
    """
    found = []
    words = sorted(page.words, key=lambda w: w.top)
    for i, first in enumerate(words):
        for second in words[i + 1 :]:
            if second.top >= first.bottom:
                break
            overlap_x = min(first.right, second.right) - max(first.left, second.left)
            overlap_y = min(first.bottom, second.bottom) - max(first.top, second.top)
            smaller = min(first.bottom - first.top, second.bottom - second.top)
            if overlap_x > 0.5 and overlap_y > smaller / 3:
                found.append((first.text, second.text))
    return found


def off_page(page: Page) -> list[str]:
    """Words that are not wholly on the page."""
    return [
        w.text
        for w in page.words
        if w.left < 0 or w.top < 0 or w.right > page.width + 0.5 or w.bottom > page.height + 0.5
    ]


# A bar is drawn the full barcode height (6.6 mm); the tallest glyph on a label (a
# parenthesis in the largest directions, 14 pt) is under 5 mm.
BAR_MIN_MM = 5.5


def printed_barcodes(pdf: bytes, tmp_path, dpi: int = 600) -> list[str]:
    """Each page's barcode read back from its pixels, as a scanner would see it: the
    modules from the first bar to the last, "1" black and "0" white.

    poppler rasterizes the page; a column is black when it has a vertical black run as
    tall as a bar, and each module (0.254 mm) is 6 pixels wide at 600 dpi. One barcode
    per page: thermal stocks, or one label on a sheet.
    """
    from PIL import Image

    path = tmp_path / "bars.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(path), str(tmp_path / "bars")],
        check=True,
    )
    module_px = 0.254 / 25.4 * dpi
    bar_px = round(BAR_MIN_MM / 25.4 * dpi)
    black = bytes(0x31 if value < 128 else 0x30 for value in range(256))
    found = []
    for png in sorted(tmp_path.glob("bars-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        # Rotated, each row of pixels is a column of the page.
        columns = Image.open(png).convert("L").transpose(Image.Transpose.ROTATE_90)
        width, height = columns.size
        pixels = columns.tobytes().translate(black)
        bar_columns = [
            "1" if b"1" * bar_px in pixels[row * width : (row + 1) * width] else "0"
            for row in range(height)
        ][::-1]  # ROTATE_90 turns the page's left edge to the bottom
        drawn = "".join(bar_columns).strip("0")
        found.append(
            "".join(run[0] * round(len(run) / module_px) for run in re.findall("1+|0+", drawn))
        )
    return found
