"""Reading X12 segments: delimiters from ISA, line numbers, tolerance of line breaks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.claims.remittance.x12 import (
    Delimiters,
    X12SyntaxError,
    read_delimiters,
    read_segments,
    read_transaction_sets,
)

# Characters none of the sample files use inside their data, so any three can delimit.
_POOL = "|!*~:>'\\#@%&;=?+{}[]`\""


def shape(text: str) -> list[tuple[str, tuple[str, ...], int]]:
    """Segments as (tag, elements, line), with the component separator written as ":"."""
    segments = read_segments(text)
    component = segments[0].delimiters.component

    def elements(segment):
        # ISA16 is the component separator itself, so it differs by design.
        values = segment.elements[:-1] if segment.tag == "ISA" else segment.elements
        return tuple(value.replace(component, ":") for value in values)

    return [(segment.tag, elements(segment), segment.line) for segment in segments]


def test_delimiters_come_from_the_isa_segment(sample_835):
    assert read_delimiters(sample_835("full_payment")) == Delimiters("*", ":", "~")


def test_segments_carry_their_line_numbers(sample_835):
    segments = read_segments(sample_835("full_payment"))
    assert [(s.tag, s.line) for s in segments[:4]] == [
        ("ISA", 1),
        ("GS", 2),
        ("ST", 3),
        ("BPR", 4),
    ]
    clp = next(s for s in segments if s.tag == "CLP")
    assert (clp.line, clp.element(1), clp.element(7), clp.element(8)) == (
        16,
        "100123-0-MEDRX",
        "MRX25064000101",
        "",
    )
    assert clp.element(0) == ""


def test_newline_as_segment_terminator_counts_lines(sample_835):
    text = sample_835("full_payment").replace("~\n", "\n")
    assert read_delimiters(text) == Delimiters("*", ":", "\n")
    assert [(s.tag, s.line) for s in read_segments(text)][14:16] == [("LX", 15), ("CLP", 16)]


def test_one_line_file_numbers_everything_line_one(sample_835):
    segments = read_segments(sample_835("denial").replace("\n", ""))
    assert {s.line for s in segments} == {1}


def test_blank_lines_byte_order_mark_and_leading_space_are_tolerated(sample_835):
    text = sample_835("denial")
    padded = "\ufeff\n  " + text.replace("~\n", "~\n\n")
    assert [s.tag for s in read_segments(padded)] == [s.tag for s in read_segments(text)]


def test_composite_elements_split_on_the_declared_component_separator(sample_835):
    svc = next(s for s in read_segments(sample_835("full_payment")) if s.tag == "SVC")
    assert svc.components(1) == ["N4", "00093015001"]


def test_typed_element_readers(sample_835):
    clp = next(s for s in read_segments(sample_835("reversal")) if s.tag == "CLP")
    assert clp.money(3, "charge") == Decimal("-45.00")
    assert clp.optional_money(9, "nothing") is None
    assert clp.number(4, "paid") == Decimal("-38.50")
    with pytest.raises(X12SyntaxError, match=r"payer claim number \(CLP07\)"):
        clp.money(7, "payer claim number")


@given(st.permutations(_POOL).map(lambda chars: chars[:3]))
def test_any_three_distinct_delimiters_read_the_same(sample_835, chosen):
    element, component, terminator = chosen
    text = sample_835("partial_payment")
    rewritten = (
        text.replace("~\n", "\0")
        .replace(":", "\1")
        .replace("*", element)
        .replace("\1", component)
        .replace("\0", terminator + "\n")
    )
    assert read_delimiters(rewritten) == Delimiters(element, component, terminator)
    assert shape(rewritten) == shape(text)


@pytest.mark.parametrize("isa_tail", ["*P*A~", "*P*::", "*P* ~"])
def test_unusable_separators_are_refused(sample_835, isa_tail):
    text = sample_835("full_payment").replace("*P*:~", isa_tail, 1)
    with pytest.raises(X12SyntaxError, match="declares unusable separators"):
        read_delimiters(text)


def test_transaction_sets_know_their_type_and_version(sample_835):
    (transaction,) = read_transaction_sets(sample_835("full_payment"))
    assert (transaction.code, transaction.version, transaction.functional_id) == (
        "835",
        "005010X221A1",
        "HP",
    )
    assert transaction.segments[0].tag == "ST" and transaction.segments[-1].tag == "SE"
    assert len(transaction.segments) == 26
