"""Sig expansion and dose reading, from the table and examples in domain/sig.md."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.prescriptions.sig.codes import ALIASES, SIG_CODES, canonical_code
from portal.prescriptions.sig.directions import SigDose, expand_sig, parse_sig_quantity, unit_words

# --- the examples in sig.md -------------------------------------------------


def test_capsule_by_mouth_twice_daily_for_ten_days():
    assert expand_sig("1 cap po bid x10d") == "Take 1 capsule by mouth twice daily for 10 days"


def test_apply_to_affected_area_three_times_daily():
    assert expand_sig("aaa tid") == "Apply to affected area three times daily"


# --- words from the table ---------------------------------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("qd", "once daily"),
        ("daily", "once daily"),
        ("bid", "twice daily"),
        ("tid", "three times daily"),
        ("qid", "four times daily"),
        ("qhs", "at bedtime"),
        ("hs", "at bedtime"),
        ("qam", "every morning"),
        ("qpm", "every evening"),
        ("q4h", "every 4 hours"),
        ("q6h", "every 6 hours"),
        ("q8h", "every 8 hours"),
        ("q12h", "every 12 hours"),
        ("q3h", "every 3 hours"),
        ("q1h", "every hour"),
        ("q4-6h", "every 4 to 6 hours"),
        ("q3d", "every 3 days"),
        ("qod", "every other day"),
        ("ac", "before meals"),
        ("pc", "after meals"),
        ("x7d", "for 7 days"),
        ("x1d", "for 1 day"),
        ("x14days", "for 14 days"),
    ],
)
def test_frequency_and_timing_codes_are_written_out(code, words):
    assert expand_sig(f"1 tab po {code}") == f"Take 1 tablet by mouth {words}"


@pytest.mark.parametrize(
    ("sig", "words"),
    [
        ("1 tab po daily", "Take 1 tablet by mouth once daily"),
        ("1 tab sl prn", "Place 1 tablet under the tongue as needed"),
        ("1 supp pr q12h prn", "Insert 1 suppository rectally every 12 hours as needed"),
        ("1 applicatorful pv qhs", "Insert 1 applicatorful vaginally at bedtime"),
        ("1 g top bid", "Apply 1 gram topically twice daily"),
        ("1 g aaa bid", "Apply 1 gram to affected area twice daily"),
        ("app bid", "Apply twice daily"),
        ("2 puffs inh q4h prn", "Inhale 2 puffs every 4 hours as needed"),
        ("inh 2 puffs bid", "Inhale 2 puffs twice daily"),
        ("10 u subq qhs", "Inject 10 units under the skin at bedtime"),
        ("ud", "Use as directed"),
        ("1 tab ud", "Take 1 tablet as directed"),
        ("5 ml po tid", "Take 5 mL by mouth three times daily"),
        ("250 mg po q8h", "Take 250 milligrams by mouth every 8 hours"),
        ("500 mcg po daily", "Take 500 micrograms by mouth once daily"),
        ("1 patch q3d", "Apply 1 patch every 3 days"),
        ("5 gtt po daily", "Take 5 drops by mouth once daily"),
    ],
)
def test_verb_follows_the_route_then_the_dose_unit(sig, words):
    assert expand_sig(sig) == words


@pytest.mark.parametrize(
    ("sig", "words"),
    [
        ("1 gtt ou bid", "Instill 1 drop in both eyes twice daily"),
        ("1 gtt od qid", "Instill 1 drop in the right eye four times daily"),
        ("2 gtts os tid", "Instill 2 drops in the left eye three times daily"),
        ("3 gtt au bid", "Instill 3 drops in both ears twice daily"),
        ("4 drops ad tid x7d", "Instill 4 drops in the right ear three times daily for 7 days"),
        ("4 gtt as bid", "Instill 4 drops in the left ear twice daily"),
    ],
)
def test_eye_and_ear_abbreviations_are_spelled_out_for_drops(sig, words):
    assert expand_sig(sig) == words


def test_od_without_drops_is_kept_as_typed_because_it_may_mean_once_daily():
    assert expand_sig("1 tab po od") == "Take 1 tablet by mouth od"


def test_as_before_needed_or_directed_is_english_not_left_ear():
    assert expand_sig("1 gtt ou as directed") == "Instill 1 drop in both eyes as directed"
    assert expand_sig("2 gtt as as needed") == "Instill 2 drops in the left ear as needed"


@pytest.mark.parametrize(
    ("sig", "words"),
    [
        ("1 tab po bid", "Take 1 tablet by mouth twice daily"),
        ("1 tabs po bid", "Take 1 tablet by mouth twice daily"),
        ("2 tab po bid", "Take 2 tablets by mouth twice daily"),
        ("2 caps po bid", "Take 2 capsules by mouth twice daily"),
        ("1 capsule po bid", "Take 1 capsule by mouth twice daily"),
        ("0.5 tab po bid", "Take 0.5 tablet by mouth twice daily"),
        ("1/2 tab po bid", "Take 1/2 tablet by mouth twice daily"),
        ("1-2 tab po q4-6h prn", "Take 1 to 2 tablets by mouth every 4 to 6 hours as needed"),
        ("1.5 tabs po bid", "Take 1.5 tablets by mouth twice daily"),
        ("2 supp pr daily", "Insert 2 suppositories rectally once daily"),
        ("1 g top bid", "Apply 1 gram topically twice daily"),
        ("2 g top bid", "Apply 2 grams topically twice daily"),
        ("2tabs po bid", "Take 2 tablets by mouth twice daily"),
        ("10ml po bid", "Take 10 mL by mouth twice daily"),
    ],
)
def test_dose_units_agree_with_the_amount(sig, words):
    assert expand_sig(sig) == words


@pytest.mark.parametrize(
    ("sig", "words"),
    [
        ("5 cc po bid", "Take 5 mL by mouth twice daily"),
        ("100 ug po daily", "Take 100 micrograms by mouth once daily"),
        ("10 iu subq daily", "Inject 10 units under the skin once daily"),
        ("10 U sc qhs", "Inject 10 units under the skin at bedtime"),
        ("1.0 tab po daily", "Take 1 tablet by mouth once daily"),
        ("2.50 ml po bid", "Take 2.5 mL by mouth twice daily"),
        (".5 ml po bid", "Take 0.5 mL by mouth twice daily"),
        ("1 tab po qd", "Take 1 tablet by mouth once daily"),
    ],
)
def test_ismp_error_prone_forms_are_rewritten(sig, words):
    assert expand_sig(sig) == words


def test_as_needed_with_a_reason():
    assert expand_sig("2 caps po q6h prn pain") == (
        "Take 2 capsules by mouth every 6 hours as needed for pain"
    )


def test_unknown_words_are_kept_as_typed():
    assert expand_sig("1 tab po bid with FOOD and water") == (
        "Take 1 tablet by mouth twice daily with FOOD and water"
    )
    assert expand_sig("Zorb 1 daily") == "Zorb 1 once daily"


def test_codes_are_read_in_any_case_and_with_dots_or_commas():
    assert expand_sig("1 TAB PO BID") == "Take 1 tablet by mouth twice daily"
    assert expand_sig("1 tab p.o. b.i.d.") == "Take 1 tablet by mouth twice daily"
    assert expand_sig("1 tab po bid, x7d.") == "Take 1 tablet by mouth twice daily, for 7 days."


def test_a_typed_verb_is_not_doubled_and_gets_a_capital():
    assert expand_sig("take 1 tab po bid") == "Take 1 tablet by mouth twice daily"
    assert expand_sig("apply aaa bid") == "Apply to affected area twice daily"


def test_output_starts_with_a_capital_even_without_a_verb():
    assert expand_sig("bid") == "Twice daily"
    assert expand_sig("   ") == ""


def test_pharmacy_codes_extend_the_table():
    assert expand_sig("1 tab po daily wf", extra={"wf": "with food"}) == (
        "Take 1 tablet by mouth once daily with food"
    )
    assert expand_sig("1 tab po daily WF", extra={"WF": "with food"}).endswith("with food")


def test_pharmacy_codes_override_the_table():
    assert expand_sig("1 tab po qd", extra={"qd": "every day"}) == (
        "Take 1 tablet by mouth every day"
    )


def test_without_extra_a_pharmacy_code_is_kept_as_typed():
    assert expand_sig("1 tab po daily wf") == "Take 1 tablet by mouth once daily wf"


def test_sig_table_holds_every_code_in_sig_md():
    sig_md_codes = {
        "po", "qd", "daily", "bid", "tid", "qid", "qhs", "hs", "qam", "qpm", "q4h", "q6h",
        "q8h", "q12h", "prn", "ac", "pc", "top", "ud", "sl", "pr", "pv", "inh", "gtt", "ou",
        "od", "os", "au", "ad", "as", "tab", "cap", "ml", "g", "mg", "mcg", "app", "aaa",
    }  # fmt: skip
    assert sig_md_codes <= set(SIG_CODES)
    assert "ug" not in SIG_CODES.values() and "cc" not in SIG_CODES.values()


def test_canonical_code_reads_spellings_of_units():
    assert canonical_code("Tablets") == "tab"
    assert canonical_code("mL") == "ml"
    assert canonical_code("cc") == "ml"
    assert canonical_code("each") is None


def test_unit_words():
    assert unit_words("cap", Decimal(2)) == "capsules"
    assert unit_words("cap", Decimal(1)) == "capsule"
    assert unit_words("ml", Decimal(30)) == "mL"
    assert unit_words(None, Decimal(3)) == ""


@given(st.text())
def test_expand_sig_never_raises_and_starts_with_a_capital(text):
    result = expand_sig(text)
    assert result[:1] == result[:1].upper()


codes = st.sampled_from(sorted(SIG_CODES) + sorted(ALIASES))
amounts = st.sampled_from(["1", "2", "0.5", "1-2", "1/2", "10", "2.0"])


@given(st.lists(st.one_of(codes, amounts), max_size=8), st.booleans())
def test_error_prone_abbreviations_never_reach_the_label(words, drops):
    text = " ".join((["1", "gtt"] if drops else []) + words)
    out = expand_sig(text).lower().split()
    # Without drops an eye/ear code stays as typed (see test above); with drops none remain.
    error_prone = {"qd", "cc", "ug", "iu", "u", "2.0"} | (
        {"od", "os", "ou", "au", "ad"} if drops else set()
    )
    assert not error_prone & set(out)


@given(
    st.dictionaries(
        st.from_regex(r"[a-z]{2,5}", fullmatch=True),
        st.text(min_size=1, alphabet="abc xyz"),
        max_size=3,
    ),
    st.text(max_size=30),
)
def test_expand_sig_never_raises_with_pharmacy_codes(extra, text):
    expand_sig(text, extra)


# --- parse_sig_quantity -----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "per_day"),
    [
        ("qd", 1), ("daily", 1), ("bid", 2), ("tid", 3), ("qid", 4), ("qhs", 1), ("hs", 1),
        ("qam", 1), ("qpm", 1), ("q4h", 6), ("q6h", 4), ("q8h", 3), ("q12h", 2), ("q24h", 1),
        ("q3h", 8), ("q48h", Decimal("0.5")), ("qod", Decimal("0.5")), ("q2d", Decimal("0.5")),
    ],
)  # fmt: skip
def test_doses_per_day_for_each_frequency(code, per_day):
    dose = parse_sig_quantity(f"1 tab po {code}")
    assert dose is not None
    assert dose.doses_per_day == per_day


def test_reads_the_sig_md_example():
    assert parse_sig_quantity("1 cap po bid x10d") == SigDose(
        units_per_dose=Decimal(1),
        unit="cap",
        doses_per_day=Decimal(2),
        duration_days=10,
        as_needed=False,
        is_maximum=False,
    )


def test_as_needed_doses_are_a_maximum():
    dose = parse_sig_quantity("2 caps po q6h prn pain")
    assert dose.as_needed and dose.is_maximum
    assert dose.units_per_day == 8


def test_ranges_give_the_most_allowed():
    dose = parse_sig_quantity("1-2 tabs po q4-6h")
    assert dose.is_maximum and not dose.as_needed
    assert (dose.units_per_dose, dose.doses_per_day) == (2, 6)


def test_fractions_and_decimals_are_exact():
    assert parse_sig_quantity("1/2 tab po bid").units_per_day == 1
    assert parse_sig_quantity("7.5 ml po tid").units_per_day == Decimal("22.5")


def test_unit_may_be_attached_or_missing():
    assert parse_sig_quantity("10ml po bid").unit == "ml"
    assert parse_sig_quantity("1 po bid").unit is None


@pytest.mark.parametrize(
    "sig",
    [
        "aaa tid",  # no amount
        "1 tab po",  # no frequency
        "1 tab po ud",
        "1 tab po qam 2 tabs qhs",  # split dose
        "1 tab po bid x7d then 1 tab daily",  # steps
        "1 tab po daily taper",
        "1 tab po bid tid",
        "1 tab po bid x5d x7d",
        "0 tab po bid",
        "1/0 tab po bid",
        "1 tab po bid x0d",
        "1 tab po od",  # od is not read as a frequency
        "",
    ],
)
def test_unsure_directions_are_not_read(sig):
    assert parse_sig_quantity(sig) is None


@given(
    st.integers(1, 20),
    st.sampled_from(["tab", "cap", "ml", "gtt"]),
    st.sampled_from(["qd", "bid", "tid", "qid", "q6h", "q8h", "q12h"]),
    st.one_of(st.none(), st.integers(1, 90)),
)
def test_units_per_day_is_dose_times_frequency(amount, unit, frequency, days):
    sig = f"{amount} {unit} po {frequency}" + (f" x{days}d" if days else "")
    dose = parse_sig_quantity(sig)
    per_day = {"qd": 1, "bid": 2, "tid": 3, "qid": 4, "q6h": 4, "q8h": 3, "q12h": 2}[frequency]
    assert dose.units_per_day == amount * per_day
    assert dose.duration_days == days
    assert dose.unit == unit


@given(st.text())
def test_parse_never_raises(text):
    dose = parse_sig_quantity(text)
    assert dose is None or (dose.units_per_dose > 0 and dose.doses_per_day > 0)


@pytest.mark.parametrize(
    ("sig", "words", "per_day"),
    [
        ("1 tab po once daily", "Take 1 tablet by mouth once daily", 1),
        ("1 tab po twice daily", "Take 1 tablet by mouth twice daily", 2),
        ("1 tab po three times daily", "Take 1 tablet by mouth three times daily", 3),
        ("1 tab po four times daily", "Take 1 tablet by mouth four times daily", 4),
        ("1 tab po 2 times daily", "Take 1 tablet by mouth 2 times daily", 2),
        ("1 tab po 1-2 times daily", "Take 1 tablet by mouth 1 to 2 times daily", 2),
    ],
)
def test_frequency_typed_in_words_before_daily_is_not_doubled(sig, words, per_day):
    assert expand_sig(sig) == words
    assert parse_sig_quantity(sig).doses_per_day == per_day


def test_codes_that_are_also_english_words_are_kept_after_an_article():
    assert expand_sig("apply to the top of the head bid") == (
        "Apply to the top of the head twice daily"
    )
    assert expand_sig("1 gtt ou bid replace the cap") == (
        "Instill 1 drop in both eyes twice daily replace the cap"
    )
    assert expand_sig("2 gtt ou tid as instructed") == (
        "Instill 2 drops in both eyes three times daily as instructed"
    )
