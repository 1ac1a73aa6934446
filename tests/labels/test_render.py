"""What a printed label says, read back from the PDF."""

from datetime import date

import pytest

from portal.labels.data import TRANSFER_WARNING
from portal.labels.render import render_label, render_labels
from portal.labels.stock import STOCKS
from tests.factories import make_compound_label, make_controlled_label, make_label
from tests.labels.pdfcheck import (
    collisions,
    compact,
    off_page,
    page_sizes_in,
    page_texts,
    word_boxes,
)

ALL_STOCKS = sorted(STOCKS)


def printed_text(label, stock="4x2.5", jinja_env=None) -> str:
    result = render_label(label, stock, jinja_env)
    assert result.overflow == []
    (text,) = page_texts(result.pdf)
    return text


def assert_printed(text: str, *phrases: str) -> None:
    """Each phrase is on the label, word for word (line breaks aside)."""
    missing = [phrase for phrase in phrases if compact(phrase) not in compact(text)]
    assert not missing, f"not on the label: {missing}\n--- label text ---\n{text}"


@pytest.mark.parametrize("stock", ALL_STOCKS)
def test_plain_prescription_label_carries_every_required_element(stock, jinja_env):
    text = printed_text(make_label(), stock, jinja_env)
    assert_printed(
        text,
        "Elm Street Pharmacy",
        "120 Elm Street, Springfield, IL 62701",
        "(217) 555-0142",
        "Rx 100123",
        "Refill 1",
        "Filled Jul 15, 2024",
        "SAMPLE, Jane Q",
        "Prescriber: Anna Reyes, MD",
        "Take 1 tablet by mouth once daily for blood pressure.",
        "Lisinopril 10 mg tablet",
        "Mfr: Lupin",
        "Qty: 30 tablets",
        "4 refills left",
        "Discard after: Jul 15, 2025",
        "Take with food",
        "RX100123-1",
    )
    assert "Federal law prohibits" not in text
    assert "compounded" not in text


@pytest.mark.parametrize("stock", ALL_STOCKS)
def test_schedule_ii_label_carries_the_transfer_warning_and_no_refills(stock, jinja_env):
    text = printed_text(make_controlled_label(), stock, jinja_env)
    assert_printed(
        text,
        TRANSFER_WARNING,
        "C-II",
        "Oxycodone hydrochloride 5 mg tablet",
        "No refills",
        "Original fill",
        "Filled Jul 15, 2024",
        "Rx 100124",
    )


@pytest.mark.parametrize(("schedule", "warned"), [("3", True), ("4", True), ("5", False)])
def test_transfer_warning_goes_on_c3_and_c4_but_not_c5(schedule, warned, jinja_env):
    label = make_controlled_label(schedule=schedule, refills_remaining=1)
    assert ("Federal law prohibits the transfer" in printed_text(label, jinja_env=jinja_env)) is (
        warned
    )


def test_controlled_refill_shows_the_date_of_initial_filling(jinja_env):
    label = make_controlled_label(
        schedule="4", fill_number=2, refills_remaining=3, first_filled_on=date(2024, 5, 1)
    )
    assert_printed(printed_text(label, jinja_env=jinja_env), "First filled May 1, 2024", "Refill 2")


@pytest.mark.parametrize("stock", ALL_STOCKS)
def test_compounded_label_carries_what_usp_795_section_11_requires(stock, jinja_env):
    text = printed_text(make_compound_label(), stock, jinja_env)
    assert_printed(
        text,
        "This is a compounded preparation.",
        "Active: Baclofen 10 mg/mL",
        "Dosage form: oral suspension",
        "Internal ID: 100125",
        "Beyond-use date: Jul 28, 2024",
        "Refrigerate 2–8 °C",
        "Qty: 150 mL",
        "Shake well",
    )


def test_no_refills_left_reads_no_refills(jinja_env):
    text = printed_text(make_label(refills_remaining=0), jinja_env=jinja_env)
    assert_printed(text, "No refills")
    assert "refills left" not in text


def test_names_are_printed_as_written_not_as_markup(jinja_env):
    text = printed_text(make_label(patient_name="O'Brien <Jr> & Sons"), jinja_env=jinja_env)
    assert_printed(text, "O'Brien <Jr> & Sons")


@pytest.mark.parametrize("stock", ALL_STOCKS)
def test_each_stock_prints_on_its_own_page_size(stock, jinja_env):
    result = render_label(make_label(), stock, jinja_env)
    expected = (STOCKS[stock].page_width, STOCKS[stock].page_height)
    assert page_sizes_in(result.pdf) == [expected]


def test_thermal_stocks_are_a_label_per_page_and_the_sheet_is_us_letter():
    assert (STOCKS["4x2.5"].page_width, STOCKS["4x2.5"].page_height) == (4, 2.5)
    assert (STOCKS["3x2"].page_width, STOCKS["3x2"].page_height) == (3, 2)
    assert (STOCKS["letter-10"].page_width, STOCKS["letter-10"].page_height) == (8.5, 11)


@pytest.mark.parametrize("stock", ["4x2.5", "3x2"])
def test_batch_of_three_on_a_roll_is_one_pdf_with_a_label_per_page(stock, jinja_env):
    labels = [make_label(), make_controlled_label(), make_compound_label()]
    result = render_labels(labels, stock, jinja_env)
    texts = page_texts(result.pdf)
    assert result.page_count == len(texts) == 3
    for text, rx in zip(texts, ("RX100123-1", "RX100124-0", "RX100125-0"), strict=True):
        assert rx in text


def test_batch_of_three_on_a_sheet_shares_one_page(jinja_env):
    labels = [make_label(), make_controlled_label(), make_compound_label()]
    result = render_labels(labels, "letter-10", jinja_env)
    (text,) = page_texts(result.pdf)
    for rx in ("Rx 100123", "Rx 100124", "Rx 100125"):
        assert text.count(rx) == 1


def test_a_full_sheet_starts_a_new_page(jinja_env):
    labels = [make_label(rx_number=str(200000 + n)) for n in range(11)]
    result = render_labels(labels, "letter-10", jinja_env)
    first, second = page_texts(result.pdf)
    assert first.count("Rx 2000") == 10
    assert "Rx 200010" in second


def test_copies_print_each_label_in_a_row(jinja_env):
    result = render_labels([make_label(), make_controlled_label()], "3x2", jinja_env, copies=2)
    texts = page_texts(result.pdf)
    assert ["Rx 100124" in text for text in texts] == [False, False, True, True]


@pytest.mark.parametrize("stock", ALL_STOCKS)
def test_labels_have_no_words_drawn_over_others_or_off_the_page(stock, jinja_env, tmp_path):
    labels = [make_label(), make_controlled_label(), make_compound_label()]
    pages = word_boxes(render_labels(labels, stock, jinja_env).pdf, tmp_path)
    assert [collisions(page) for page in pages] == [[] for _ in pages]
    assert [off_page(page) for page in pages] == [[] for _ in pages]


def test_the_widest_rx_line_does_not_run_into_the_fill_date(jinja_env, tmp_path):
    label = make_label(rx_number="123456789012", fill_number=99, filled_on=date(2024, 9, 30))
    (page,) = word_boxes(render_label(label, "3x2", jinja_env).pdf, tmp_path)
    assert collisions(page) == []


def test_render_labels_refuses_nothing_to_print_and_unknown_stock(jinja_env):
    with pytest.raises(ValueError, match="no labels"):
        render_labels([], "4x2.5", jinja_env)
    with pytest.raises(ValueError, match="unknown label stock"):
        render_labels([make_label()], "5x3", jinja_env)
    with pytest.raises(ValueError, match="copies"):
        render_labels([make_label()], "4x2.5", jinja_env, copies=0)
