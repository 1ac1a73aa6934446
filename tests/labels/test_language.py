"""A label prints its directions in the patient's preferred language (Spanish), or in both
languages when the pharmacy chooses so; the drug name and the required items do not
change; directions that cannot be put in Spanish word for word print in English, saying why."""

from portal.foundation import settings
from portal.labels.from_fill import label_for_fill, label_language_note
from portal.labels.language import NO_SPANISH_WORDS, WRITTEN_BY_HAND, directions_in
from portal.labels.render import render_labels
from tests.factories import advance_fill, make_fill, make_patient, make_prescription
from tests.labels.pdfcheck import compact, page_texts

ENGLISH = "Take 1 capsule by mouth three times daily for 10 days"
SPANISH = "Tome 1 cápsula por vía oral tres veces al día durante 10 días"


def test_directions_follow_the_preferred_language():
    sig = "1 cap po tid x10d"
    assert directions_in("English", sig, ENGLISH, {}, {}, False) == (ENGLISH, "")
    assert directions_in("", sig, ENGLISH, {}, {}, False) == (ENGLISH, "")
    for spanish in ("Spanish", "español", " ES "):
        assert directions_in(spanish, sig, ENGLISH, {}, {}, False) == (SPANISH, "")
    assert directions_in("Spanish", sig, ENGLISH, {}, {}, True) == (f"{SPANISH} / {ENGLISH}", "")


def test_hand_written_directions_or_free_text_stay_english_and_say_why():
    edited = "Take 1 capsule by mouth three times daily until all taken"
    assert directions_in("Spanish", "1 cap po tid x10d", edited, {}, {}, False) == (
        edited,
        WRITTEN_BY_HAND,
    )
    english = "Take 1 tablet by mouth as needed for pain"
    assert directions_in("Spanish", "1 tab po prn pain", english, {}, {}, False) == (
        english,
        NO_SPANISH_WORDS,
    )


def _spanish_fill(**fields):
    patient = make_patient(preferred_language="Spanish", allergy_status="nkda")
    return advance_fill(make_fill(make_prescription(patient=patient, **fields)), "fill")


def test_a_spanish_speaking_patients_label_prints_spanish_directions(app, jinja_env):
    fill = _spanish_fill()
    label = label_for_fill(fill)
    assert label.directions == SPANISH
    assert label.drug_name == "Amoxicillin" and label.strength == "500 mg capsule"
    assert label_language_note(fill) == ""
    text = compact(page_texts(render_labels([label], "4x2.5", jinja_env).pdf)[0])
    assert compact(SPANISH) in text  # accents printed, not dropped
    assert compact("Amoxicillin") in text and compact(label.patient_name) in text


def test_the_bilingual_option_prints_both(app, jinja_env):
    settings.put("label_bilingual_directions", "both")
    label = label_for_fill(_spanish_fill())
    assert label.directions == f"{SPANISH} / {ENGLISH}"
    text = compact(page_texts(render_labels([label], "4x2.5", jinja_env).pdf)[0])
    assert compact(SPANISH) in text and compact(ENGLISH) in text


def test_the_print_page_says_why_a_label_stays_english(client_as):
    fill = _spanish_fill(sig="1 tab po prn pain", quantity_unit="tab")
    assert label_for_fill(fill).directions.startswith("Take 1 tablet")
    page = client_as("technician").get(f"/labels/fills/{fill.id}")
    assert "part of the sig has no Spanish words" in page.get_data(as_text=True)


def test_an_english_speaking_patients_label_is_unchanged(app):
    fill = advance_fill(make_fill(), "fill")
    assert label_for_fill(fill).directions == ENGLISH
