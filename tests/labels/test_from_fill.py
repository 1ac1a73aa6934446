"""Labels built from real fills carry every required element (read back from the PDF)."""

from datetime import date, timedelta

from flask import current_app

from portal.labels.from_fill import add_months, label_for_fill
from portal.labels.render import render_label
from portal.pharmacy.models import Pharmacy
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_lot,
    make_prescription,
    make_product,
)
from tests.labels.pdfcheck import compact, page_texts

TODAY = date(2026, 3, 10)


def pdf_text(label) -> str:
    pdf = render_label(label, "4x2.5", current_app.jinja_env).pdf
    return compact(" ".join(page_texts(pdf)))


def has(text: str, *expected: str) -> None:
    for item in expected:
        assert compact(item) in text, f"{item!r} not on the label: {text}"


def test_plain_fill_label_has_every_required_element(app):
    fill = advance_fill(make_fill(), "fill")
    rx = fill.prescription
    label = label_for_fill(fill, today=TODAY)
    text = pdf_text(label)
    pharmacy = Pharmacy.current()
    has(
        text,
        pharmacy.name,
        pharmacy.phone,
        f"{rx.rx_number}",
        rx.patient.last_name.upper(),
        rx.prescriber.full_name,
        "Amoxicillin",
        "500 mg",
        "Lupin Pharmaceuticals",
        "30",
        "Take 1 capsule by mouth three times daily",
    )
    assert label.refills_remaining == 0
    assert label.discard_after == add_months(TODAY, 12)
    assert "Federal law prohibits" not in text


def test_discard_after_is_the_lot_expiry_when_that_comes_first(app):
    fill = advance_fill(make_fill(), "fill")
    soon = TODAY + timedelta(days=40)
    fill.dispensed_lot = make_lot(fill.prescription.product, expires_on=soon)
    assert label_for_fill(fill, today=TODAY).discard_after == soon


def test_controlled_fill_label_carries_the_transfer_warning(app):
    oxy = make_ingredient(name="Oxycodone hydrochloride", schedule="2")
    product = make_product(
        ingredients=[oxy], name="Oxycodone", strength="5 mg", schedule="2", manufacturer="Rhodes"
    )
    fill = advance_fill(make_fill(make_prescription(product=product, schedule="2")), "fill")
    label = label_for_fill(fill, today=TODAY)
    text = pdf_text(label)
    assert label.schedule == "2"
    has(text, "Oxycodone", "Rhodes", "Federal law prohibits the transfer of this drug")
