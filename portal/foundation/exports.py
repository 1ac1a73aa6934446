"""CSV downloads: cells a spreadsheet would run as formulas are defused, files named."""

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response


def safe_cell(text) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) is quoted with an apostrophe."""
    text = "" if text is None else str(text)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def csv_text(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A header line, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def csv_download(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
