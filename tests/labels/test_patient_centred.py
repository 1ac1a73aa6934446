"""The patient-centred label (USP <17>), a setting off by default: the patient, directions and
drug first and largest, explicit times, directions at 12 pt or more where the stock allows
and, on a stock too small, the largest that fits with the print page saying so."""

import re

from portal.foundation import settings
from portal.labels.from_fill import label_for_fill
from portal.labels.render import render_labels
from tests.factories import advance_fill, make_fill, make_patient, make_prescription
from tests.factories.labels import make_compound_label, make_label
from tests.labels.pdfcheck import compact, page_texts


def _order(text: str, *parts: str) -> list[int]:
    return [compact(text).index(compact(part)) for part in parts]


def test_off_by_default_the_label_is_as_before(app):
    fill = advance_fill(make_fill(make_prescription(sig="1 cap po tid x10d")), "fill")
    label = label_for_fill(fill)
    assert not label.patient_centred
    assert label.directions == "Take 1 capsule by mouth three times daily for 10 days"


def test_the_setting_gives_explicit_times_in_the_patients_language(app):
    settings.put("label_patient_centred", True)
    patient = make_patient(preferred_language="Spanish", allergy_status="nkda")
    fill = advance_fill(
        make_fill(make_prescription(patient=patient, sig="1 cap po tid x10d")), "fill"
    )
    label = label_for_fill(fill)
    assert label.patient_centred
    assert label.directions == (
        "Tome 1 cápsula por vía oral por la mañana, al mediodía y por la noche durante 10 días"
    )
    english = advance_fill(make_fill(make_prescription(sig="1 cap po bid")), "fill")
    assert label_for_fill(english).directions == (
        "Take 1 capsule by mouth in the morning and at bedtime"
    )


def test_the_patient_directions_and_drug_come_first(jinja_env):
    label = make_label(patient_centred=True, directions="Take 1 tablet by mouth in the morning")
    text = page_texts(render_labels([label], "4x2.5", jinja_env).pdf)[0]
    patient, directions, drug, rx, pharmacy = _order(
        text,
        "SAMPLE, Jane Q",
        "Take 1 tablet",
        "Lisinopril 10 mg",
        "Rx 100123",
        "Elm Street Pharmacy",
    )
    assert patient < directions < drug < rx and drug < pharmacy
    before = page_texts(render_labels([make_label()], "4x2.5", jinja_env).pdf)[0]
    assert compact(before).index("ElmStreetPharmacy") < compact(before).index("SAMPLE,JaneQ")


def test_directions_at_12_pt_or_more_where_the_stock_allows(jinja_env):
    label = make_label(patient_centred=True, directions="Take 1 tablet by mouth in the morning")
    for stock in ("4x2.5", "4x2", "3x2", "letter-10"):
        result = render_labels([label], stock, jinja_env)
        step = int(re.search(r"fit-(\d)", result.html).group(1))
        assert step <= 2, stock  # 14, 13 or 12 pt (label.css .centred)
        assert result.small_directions == ()


LONG = (
    "Take 5 mL by mouth in the morning, at midday, in the evening and at bedtime for 14 "
    "days; shake well before use"
)


def test_on_a_small_stock_the_largest_that_fits_and_it_says_so(jinja_env):
    label = make_compound_label(patient_centred=True, directions=LONG)
    small = render_labels([label], "3x2", jinja_env)
    assert small.small_directions == (0,) and not small.overflow
    assert compact(LONG) in compact(page_texts(small.pdf)[0])
    assert render_labels([label], "4x2.5", jinja_env).small_directions == ()
    # Not on a label that is not patient-centred: its type is the stock's own.
    plain = render_labels([make_compound_label(directions=LONG)], "3x2", jinja_env)
    assert plain.small_directions == ()


def test_the_print_page_says_the_directions_are_under_12_pt(client_as):
    settings.put("label_patient_centred", True)
    taper = "2 tab po qid x14d, then 1 tab po bid x7d, then 1 tab po qhs x7d"
    fill = advance_fill(make_fill(make_prescription(sig=taper)), "fill")
    technician = client_as("technician")
    says = "the directions print under 12 pt, the largest size that fits this label stock"
    assert says not in technician.get(f"/labels/fills/{fill.id}").get_data(as_text=True)
    settings.put("label_stock", "3x2")
    assert says in technician.get(f"/labels/fills/{fill.id}").get_data(as_text=True)
