"""CSV downloads: the one writer every export uses, so no cell is run as a formula.

OWASP, "CSV Injection": a spreadsheet opening a CSV runs a cell that starts with =, +, -
or @ as a formula (and tab or carriage return can hide such a start), so a hold reason
typed as ``=HYPERLINK("http://evil.example", "Click")`` would become a live link, or worse,
in the manager's copy of the audit trail. Every text cell that starts with one of them is
written with a leading apostrophe, which spreadsheets show as plain text. Numbers the
portal computed (money, quantities, ids) are written as they are: -12.50 is an amount.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024  # characters sent at a time when streaming a long export


def safe_cell(value):
    """A value for a CSV cell: text that a spreadsheet would run as a formula gets a
    leading apostrophe; numbers stay numbers; None is empty."""
    if value is None:
        return ""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The header line, then one line per row, every cell through safe_cell: for streaming."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in chain([columns], rows):
        writer.writerow([safe_cell(value) for value in row])
        if out.tell() >= CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue()


def csv_text(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """The whole file as text (see csv_lines)."""
    return "".join(csv_lines(columns, rows))


def csv_download(body: str | Iterable[str], filename: str) -> Response:
    """A CSV attachment: the text, or lines from csv_lines streamed as they are written."""
    if not isinstance(body, str):
        body = stream_with_context(body)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
