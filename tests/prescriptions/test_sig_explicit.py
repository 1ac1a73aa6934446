"""Explicit times for the patient-centred label (USP <17>): "in the morning and at bedtime"
rather than "twice daily", in English and Spanish; clock intervals, as-needed doses and the
pharmacy's own words keep theirs."""

import pytest

from portal.prescriptions.sig.codes import FREQUENCY_PER_DAY
from portal.prescriptions.sig.explicit import (
    EXPLICIT_TIMES,
    EXPLICIT_TIMES_ES,
    expand_sig_explicit,
    expand_sig_spanish_explicit,
    explicit_times,
)
from portal.prescriptions.sig.spanish import expand_sig_spanish


@pytest.mark.parametrize(
    ("sig", "english", "spanish"),
    [
        (
            "1 tab po bid",
            "Take 1 tablet by mouth in the morning and at bedtime",
            "Tome 1 tableta por vía oral por la mañana y al acostarse",
        ),
        (
            "1 cap po tid x10d",
            "Take 1 capsule by mouth in the morning, at midday and in the evening for 10 days",
            "Tome 1 cápsula por vía oral por la mañana, al mediodía y por la noche durante 10 días",
        ),
        (
            "1 tab po qid",
            "Take 1 tablet by mouth in the morning, at midday, in the evening and at bedtime",
            "Tome 1 tableta por vía oral por la mañana, al mediodía, por la noche y al acostarse",
        ),
        (
            "2 tab po qhs",
            "Take 2 tablets by mouth at bedtime",
            "Tome 2 tabletas por vía oral al acostarse",
        ),
        (
            "1 tab po qam",
            "Take 1 tablet by mouth in the morning",
            "Tome 1 tableta por vía oral por la mañana",
        ),
        (
            "1 tab po qd",
            "Take 1 tablet by mouth once a day",
            "Tome 1 tableta por vía oral una vez al día",
        ),
        # Already explicit: every 8 hours is a clock.
        (
            "1 tab po q8h",
            "Take 1 tablet by mouth every 8 hours",
            "Tome 1 tableta por vía oral cada 8 horas",
        ),
    ],
)
def test_frequency_codes_become_explicit_times(sig, english, spanish):
    assert expand_sig_explicit(sig) == english
    assert expand_sig_spanish_explicit(sig) == spanish


def test_as_needed_or_with_meals_keeps_the_frequency_words():
    assert expand_sig_explicit("1 tab po qid prn pain") == (
        "Take 1 tablet by mouth four times daily as needed for pain"
    )
    assert (
        expand_sig_explicit("1 tab po bid pc") == "Take 1 tablet by mouth twice daily after meals"
    )
    assert expand_sig_spanish_explicit("1 tab po bid pc") == expand_sig_spanish("1 tab po bid pc")


def test_the_pharmacys_own_words_win():
    assert expand_sig_explicit("1 tab po bid", {"bid": "twice a day, 12 hours apart"}) == (
        "Take 1 tablet by mouth twice a day, 12 hours apart"
    )
    assert expand_sig_spanish_explicit("1 tab po bid", {}, {"bid": "dos veces al día"}) == (
        "Tome 1 tableta por vía oral dos veces al día"
    )


def test_every_explicit_time_has_both_languages_and_keeps_the_doses_a_day():
    assert EXPLICIT_TIMES.keys() == EXPLICIT_TIMES_ES.keys()
    doses = {"bid": 2, "tid": 3, "qid": 4}
    for code, count in doses.items():
        assert FREQUENCY_PER_DAY[code] == count
        # Each explicit time is one dose: as many times named as doses a day.
        assert explicit_times(code).replace(", ", " and ").count(" and ") + 1 == count
        assert explicit_times(code, "es").replace(", ", " y ").count(" y ") + 1 == count
    assert explicit_times("q6h") is None and explicit_times("BID") == EXPLICIT_TIMES["bid"]
