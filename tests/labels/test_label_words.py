"""A label's fixed words print in the patient's language (the Spanish catalog), while what it
identifies (pharmacy, Rx number, patient, drug name and strength, prescriber, the federal
transfer warning) prints exactly as for any patient."""

from dataclasses import replace

from portal.labels.content import label_content
from portal.labels.data import TRANSFER_WARNING
from portal.labels.from_fill import label_for_fill
from portal.labels.render import render_labels
from tests.factories import advance_fill, make_fill, make_patient, make_prescription
from tests.factories.labels import make_compound_label, make_controlled_label, make_label
from tests.labels.pdfcheck import compact, page_texts


def test_the_fixed_words_are_spanish_and_the_identifying_items_unchanged():
    english, spanish = label_content(make_label()), label_content(make_label(language="es"))
    assert spanish.fill == "Resurtido\u00a01" and english.fill == "Refill\u00a01"
    assert spanish.refills == "Quedan\u00a04\u00a0resurtidos"
    assert spanish.discard == "Deseche después de: 15\u00a0jul\u00a02025"
    assert spanish.filled == "Surtido\u00a015\u00a0jul\u00a02024"
    assert spanish.quantity == "Cant.:\u00a030\u00a0tabletas"
    assert spanish.auxiliary == ("Tome\u00a0con\u00a0alimentos",)
    assert spanish.prescriber == "Recetado por: Anna Reyes, MD"
    for same in ("rx", "patient", "drug", "directions"):
        assert getattr(spanish, same) == getattr(english, same), same


def test_refill_wording_in_spanish():
    assert label_content(make_label(language="es", refills_remaining=1)).refills == (
        "Queda\u00a01\u00a0resurtido"
    )
    controlled = label_content(make_controlled_label(language="es"))
    assert (
        controlled.refills == "Sin\u00a0resurtidos" and controlled.fill == "Surtido\u00a0original"
    )
    assert controlled.transfer_warning == TRANSFER_WARNING  # 21 CFR 290.5's words
    compound = label_content(make_compound_label(language="es"))
    assert compound.compounded == "Este medicamento fue preparado en la farmacia."
    assert compound.discard.startswith("No usar después de:")
    assert compound.dosage_form == "Forma farmacéutica: suspensión oral"
    assert compound.active_title == "Principios activos:"


def test_a_caution_typed_freely_prints_as_typed():
    label = make_label(language="es", auxiliary=("Take at the same time each day",))
    assert label_content(label).auxiliary == (
        "Take\u00a0at\u00a0the\u00a0same\u00a0time\u00a0each\u00a0day",
    )


def test_a_spanish_patients_printed_label(app, jinja_env):
    patient = make_patient(preferred_language="Spanish", allergy_status="nkda")
    fill = advance_fill(make_fill(make_prescription(patient=patient)), "fill")
    label = label_for_fill(fill)
    assert label.language == "es"
    result = render_labels([label], "4x2.5", jinja_env)
    text = compact(page_texts(result.pdf)[0])
    assert 'lang="es"' in result.html
    for spanish in ("Surtido original", "Deseche después de", "Cant.:", "Recetado por:"):
        assert compact(spanish) in text, spanish
    for unchanged in (f"Rx {label.rx_number}", "Amoxicillin 500 mg", label.patient_name):
        assert compact(unchanged) in text, unchanged
    assert compact("Discard after") not in text


def test_an_english_label_is_as_before(jinja_env):
    text = compact(page_texts(render_labels([make_label()], "4x2.5", jinja_env).pdf)[0])
    assert compact("Discard after: Jul 15, 2025") in text and compact("4 refills left") in text


def test_the_does_not_fit_notice_is_in_the_labels_language(jinja_env):
    label = replace(make_label(language="es"), directions="Tome 1 tableta. " * 60)
    result = render_labels([label], "3x2", jinja_env)
    assert result.overflow
    assert compact("el texto no cabe") in compact(page_texts(result.pdf)[0]).lower()
