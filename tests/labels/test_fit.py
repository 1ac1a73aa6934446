"""Long text shrinks to fit, or says plainly that it does not: never a word silently lost."""

import pytest

from portal.labels.content import label_content
from portal.labels.layout import LabelLayout, label_entry
from portal.labels.printer import shared_printer
from portal.labels.render import render_label, render_labels
from portal.labels.stock import STOCKS, get_stock
from tests.factories import (
    LONGEST_DIRECTIONS,
    LONGEST_DRUG_NAME,
    make_label,
    make_longest_compound_label,
    make_longest_controlled_label,
)
from tests.labels.pdfcheck import collisions, compact, off_page, page_texts, word_boxes

NOTICE = "text does not fit — see attached sheet"


def field_texts(label) -> dict[str, list[str]]:
    """What each field that can be given up prints, as label_content formats it."""
    content = label_content(label)
    return {
        "directions": [content.directions],
        "drug": [content.drug],
        "ingredients": list(content.ingredients),
        "auxiliary": list(content.auxiliary),
    }


@pytest.mark.parametrize("stock", sorted(STOCKS))
@pytest.mark.parametrize("make", [make_longest_controlled_label, make_longest_compound_label])
def test_longest_inputs_print_in_full_or_name_what_does_not_fit(stock, make, jinja_env, tmp_path):
    label = make()
    result = render_label(label, stock, jinja_env)
    (text,) = page_texts(result.pdf)
    given_up = result.overflow[0].fields if result.overflow else ()

    assert "label" not in given_up  # realistic input never leaves a label overfull
    for name, phrases in field_texts(label).items():
        for phrase in phrases:
            if name in given_up:
                assert compact(phrase) not in compact(text)
            else:
                assert compact(phrase) in compact(text), f"{name} lost: {phrase}"
    assert (NOTICE.upper() in text.upper()) is bool(given_up)
    (page,) = word_boxes(result.pdf, tmp_path)
    assert collisions(page) == []
    assert off_page(page) == []


def test_the_longest_label_fits_a_4x2_5_roll_with_only_the_cautions_given_up(jinja_env):
    result = render_label(make_longest_controlled_label(), "4x2.5", jinja_env)
    (text,) = page_texts(result.pdf)
    assert [o.fields for o in result.overflow] == [("auxiliary",)]
    assert compact(LONGEST_DIRECTIONS) in compact(text)
    assert compact(LONGEST_DRUG_NAME) in compact(text)
    assert "CAUTIONS: TEXT DOES NOT FIT" in text.upper()


def test_long_directions_shrink_rather_than_give_up(jinja_env):
    directions = LONGEST_DIRECTIONS
    result = render_label(make_label(directions=directions), "4x2.5", jinja_env)
    assert result.overflow == []
    assert "fit-0" not in result.html  # a smaller step was chosen
    assert compact(directions) in compact(page_texts(result.pdf)[0])


def test_unfitted_long_label_is_caught_by_the_reader_checks(jinja_env, tmp_path):
    """The checks above can fail: the longest label at the largest type, unfitted,
    loses words or draws them over others, and the fitter's measurement says so."""
    layout = LabelLayout(shared_printer(), jinja_env, get_stock("4x2.5"))
    entry = label_entry(0, make_longest_controlled_label())
    _, document = layout.run([entry])
    pdf = document.write_pdf()
    (page,) = word_boxes(pdf, tmp_path)
    (text,) = page_texts(pdf)
    all_printed = all(
        compact(phrase) in compact(text)
        for phrases in field_texts(entry.label).values()
        for phrase in phrases
    )
    assert not all_printed or collisions(page) or off_page(page)
    assert not layout.measure([entry])[0].fits


def test_a_label_that_cannot_fit_at_all_says_so_across_its_top(jinja_env):
    patient = "Maria " * 120  # no giving up of fields makes room for this
    result = render_label(make_label(patient_name=patient), "3x2", jinja_env)
    (overflow,) = result.overflow
    assert overflow.fields[-1] == "label"
    assert "LABEL TEXT DOES NOT FIT" in page_texts(result.pdf)[0].upper()


def test_overflow_names_the_label_by_position_rx_and_fill(jinja_env):
    labels = [make_label(), make_longest_controlled_label(), make_label(rx_number="100126")]
    result = render_labels(labels, "3x2", jinja_env)
    assert [(o.index, o.rx_number, o.fill_number) for o in result.overflow] == [(1, "100124", 0)]
    assert result.page_count == 3  # an overfull label never spills onto an extra page
