"""Spanish directions from the same sig codes (the table of /work/shared/domain/sig.md),
never mixed with English: a sig with free text or an untranslated pharmacy code gives None."""

import pytest

from portal.prescriptions.sig.codes import DOSE_UNIT_PLURALS, SIG_CODES
from portal.prescriptions.sig.directions import expand_sig
from portal.prescriptions.sig.spanish import (
    DOSE_UNIT_PLURALS_ES,
    SIG_CODES_ES,
    expand_sig_spanish,
)


def test_every_sig_code_has_spanish_words():
    assert set(SIG_CODES_ES) == set(SIG_CODES)
    assert set(DOSE_UNIT_PLURALS_ES) == set(DOSE_UNIT_PLURALS)


@pytest.mark.parametrize(
    ("sig", "spanish"),
    [
        # sig.md's own examples
        ("1 cap po bid x10d", "Tome 1 cápsula por vía oral dos veces al día durante 10 días"),
        ("aaa tid", "Aplique en el área afectada tres veces al día"),
        # a row of sig.md each
        ("1 tab po qd", "Tome 1 tableta por vía oral una vez al día"),
        (
            "2 tabs po tid pc",
            "Tome 2 tabletas por vía oral tres veces al día después de las comidas",
        ),
        ("1 tab po qid ac", "Tome 1 tableta por vía oral cuatro veces al día antes de las comidas"),
        ("1 tab po qhs", "Tome 1 tableta por vía oral a la hora de acostarse"),
        ("1 cap po qam", "Tome 1 cápsula por vía oral cada mañana"),
        ("1 cap po qpm", "Tome 1 cápsula por vía oral cada noche"),
        (
            "1-2 tab po q4-6h prn",
            "Tome 1 a 2 tabletas por vía oral cada 4 a 6 horas si es necesario",
        ),
        ("1 tab po q12h", "Tome 1 tableta por vía oral cada 12 horas"),
        ("app top bid", "Aplique sobre la piel dos veces al día"),
        ("ud", "Use según las indicaciones"),
        ("1 tab sl", "Coloque 1 tableta debajo de la lengua"),
        ("1 supp pr qd", "Introduzca 1 supositorio por vía rectal una vez al día"),
        ("1 supp pv qhs", "Introduzca 1 supositorio por vía vaginal a la hora de acostarse"),
        ("2 puffs inh q4h prn", "Inhale 2 inhalaciones cada 4 horas si es necesario"),
        ("1 gtt ou qid", "Aplique 1 gota en ambos ojos cuatro veces al día"),
        ("2 gtts od bid", "Aplique 2 gotas en el ojo derecho dos veces al día"),
        ("1 gtt os qd", "Aplique 1 gota en el ojo izquierdo una vez al día"),
        ("3 gtt au bid", "Aplique 3 gotas en ambos oídos dos veces al día"),
        ("3 gtt ad bid", "Aplique 3 gotas en el oído derecho dos veces al día"),
        ("3 gtt as bid", "Aplique 3 gotas en el oído izquierdo dos veces al día"),
        ("5 ml po q8h x7d", "Tome 5 mL por vía oral cada 8 horas durante 7 días"),
        ("1 tab po qod", "Tome 1 tableta por vía oral un día sí y otro no"),
        ("10 units subq qhs", "Inyecte 10 unidades debajo de la piel a la hora de acostarse"),
        ("1 patch top qwk", "Aplique 1 parche sobre la piel una vez a la semana"),
        ("1 tab po twice daily", "Tome 1 tableta por vía oral dos veces al día"),
    ],
)
def test_sig_codes_read_as_spanish_directions(sig, spanish):
    assert expand_sig_spanish(sig) == spanish


def test_free_text_or_an_english_verb_gives_no_spanish_rather_than_a_mix():
    assert expand_sig_spanish("1 tab po prn pain") is None  # the reason is English
    assert expand_sig_spanish("take 1 tab daily") is None
    assert expand_sig_spanish("") is None
    # The English directions still read; only the Spanish is withheld.
    assert expand_sig("1 tab po prn pain") == "Take 1 tablet by mouth as needed for pain"


def test_the_pharmacys_own_codes_need_their_spanish_words():
    extra = {"wf": "with food"}
    assert expand_sig_spanish("1 tab po qd wf", extra) is None
    assert expand_sig_spanish("1 tab po qd wf", extra, {"wf": "con alimentos"}) == (
        "Tome 1 tableta por vía oral una vez al día con alimentos"
    )


def test_the_pharmacy_may_word_a_built_in_code_its_own_way():
    assert expand_sig_spanish("1 tab po prn", extra_es={"prn": "según sea necesario"}) == (
        "Tome 1 tableta por vía oral según sea necesario"
    )


def test_spanish_words_for_the_pharmacys_codes_are_kept_in_its_settings(client_as):
    from portal.foundation import settings
    from portal.prescriptions import settings as rx_settings

    pharmacist = client_as("pharmacist")
    form = {
        d.key.replace(".", "__"): "" if settings.get(d.key) is None else str(settings.get(d.key))
        for d in settings.in_area("Prescriptions")
    }
    form["prescriptions__extra_sig_codes"] = "wf = with food"
    form["prescriptions__extra_sig_codes_es"] = "wf = con alimentos\nsin signo igual"
    refused = pharmacist.post("/admin/prescription-settings", data=form)
    assert "Line 2 (“sin signo igual”) is not in the form code = words." in refused.text
    form["prescriptions__extra_sig_codes_es"] = "wf = con alimentos"
    assert pharmacist.post("/admin/prescription-settings", data=form).status_code == 302
    spanish = expand_sig_spanish(
        "1 tab po qd wf", rx_settings.extra_sig_codes(), rx_settings.extra_sig_codes_es()
    )
    assert spanish == "Tome 1 tableta por vía oral una vez al día con alimentos"
