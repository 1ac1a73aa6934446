"""LabelData refuses a label that would be unlawful or unreadable, and formats the rest."""

from datetime import date
from decimal import Decimal

import pytest

from portal.labels.content import keep_units, label_content, refills_text
from portal.labels.data import CompoundDetails, CompoundIngredient
from portal.labels.stock import get_stock
from tests.factories import make_compound_label, make_controlled_label, make_label

NBSP = "\u00a0"


def test_a_c2_label_cannot_show_refills():
    with pytest.raises(ValueError, match="1306.12"):
        make_controlled_label(refills_remaining=1)


def test_a_controlled_refill_needs_the_date_of_initial_filling():
    with pytest.raises(ValueError, match="initial filling"):
        make_controlled_label(schedule="3", fill_number=1, refills_remaining=2)


def test_a_controlled_original_fill_was_first_filled_today():
    label = make_controlled_label()
    assert label.initial_filling_date == label.filled_on == date(2024, 7, 15)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rx_number": "10-0123"}, "1 to 12 digits"),
        ({"rx_number": "1234567890123"}, "1 to 12 digits"),
        ({"fill_number": 100}, "fill number"),
        ({"quantity": Decimal(0)}, "more than zero"),
        ({"refills_remaining": -1}, "negative"),
        ({"directions": "  "}, "directions"),
        ({"patient_name": ""}, "patient_name"),
        ({"schedule": "C-II"}, "schedule"),
    ],
)
def test_label_data_refuses_what_cannot_be_printed(changes, message):
    with pytest.raises(ValueError, match=message):
        make_label(**changes)


def test_quantity_is_never_a_float():
    with pytest.raises(TypeError, match="float"):
        make_label(quantity=2.5)
    assert make_label(quantity="2.5").quantity == Decimal("2.5")


def test_a_compound_lists_its_active_ingredients():
    with pytest.raises(ValueError, match="active ingredients"):
        CompoundDetails(dosage_form="cream", ingredients=(), internal_id="B1")


def test_a_compound_needs_its_internal_id():
    with pytest.raises(ValueError, match="internal_id"):
        CompoundDetails(
            dosage_form="cream",
            ingredients=(CompoundIngredient("Lidocaine", "2%"),),
            internal_id="",
        )


@pytest.mark.parametrize(
    ("left", "text"), [(0, "No refills"), (1, "1 refill left"), (5, "5 refills left")]
)
def test_refills_in_words(left, text):
    assert refills_text(left) == text


def test_a_compound_discard_date_is_its_beyond_use_date():
    assert label_content(make_compound_label()).discard.startswith("Beyond-use date:")
    assert label_content(make_label()).discard.startswith("Discard after:")


def test_numbers_keep_their_units_on_the_same_line():
    assert keep_units("Take 5 mL (50 mg) three times daily") == (
        f"Take 5{NBSP}mL (50{NBSP}mg) three{' '}times daily"
    )
    assert keep_units("Store at 2-8 °C") == f"Store at 2-8{NBSP}°C"


def test_unknown_stock_names_the_known_ones():
    with pytest.raises(ValueError, match="4x2.5, 4x2, dymo-30256, 3x2, letter-10"):
        get_stock("4x6")


def test_sheet_slots_sit_on_the_avery_5163_grid():
    sheet = get_stock("letter-10")
    assert sheet.per_page == 10
    assert sheet.slot_offset(0) == (0, 0)
    assert sheet.slot_offset(1) == (4.1875, 0)
    assert sheet.slot_offset(9) == (4.1875, 8)
    # The last column ends where the right margin begins: 8.5 in minus 5/32 in.
    assert sheet.margin_left + sheet.slot_offset(1)[0] + sheet.label_width == 8.5 - 0.15625
