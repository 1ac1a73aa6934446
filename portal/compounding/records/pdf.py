"""The printable compounding record: an HTML template and print CSS, made a PDF by WeasyPrint.

It carries everything USP <795> lists for a compounding record (§ 9, Compounding Records):
preparation, master formula and version, every component with vendor, lot and expiry and
the quantity used, total made, who compounded and who verified, date, internal id, BUD and
storage, quality-check results, deviations and their explanations.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, render_template

from portal.compounding.records.models import CompoundingRecord
from portal.foundation.dates import utcnow


def stylesheet_path() -> Path:
    return Path(current_app.static_folder) / "css" / "compounding-record.css"


def record_html(record: CompoundingRecord, pharmacy) -> str:
    formula = record.formula
    return render_template(
        "compounding/record_pdf.html",
        record=record,
        formula=formula,
        fill=record.fill_or_none(),
        lines=record.lines(),
        results=record.quality_results(),
        pharmacy=pharmacy,
        printed_at=utcnow(),
    )


def record_pdf(record: CompoundingRecord, pharmacy) -> bytes:
    from weasyprint import CSS, HTML

    html = record_html(record, pharmacy)
    return HTML(string=html, base_url=current_app.static_folder).write_pdf(
        stylesheets=[CSS(filename=str(stylesheet_path()))]
    )
