"""Reading an X12 interchange into segments, with its envelope checked.

X12 files say which characters separate their parts in the ISA segment
itself: the 4th character separates elements, ISA16 is the component
separator and the character after ISA16 ends each segment (X12.5, ISA;
005010X221A1 appendix B). Payers differ ("~" and "*" are common, not fixed),
and many break lines after each segment, so line breaks around segments are
ignored and every error names the line it was found on.

The envelope is checked strictly: ISA/IEA, GS/GE and ST/SE must pair up, with
matching control numbers and correct counts, because a file that fails them is
truncated or spliced, and posting part of a payment is worse than posting none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from portal.foundation.digits import is_digits

_TAG = re.compile(r"[A-Z][A-Z0-9]{1,2}")
# X12 data element type R (decimal number); money in an 835 has at most cents.
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_CENT = Decimal("0.01")
_ISA_ELEMENT_COUNT = 16


class X12SyntaxError(ValueError):
    """A file that is not a well-formed X12 interchange; the message says where."""


@dataclass(frozen=True)
class Delimiters:
    """The separators an interchange declares in its ISA segment."""

    element: str
    component: str
    segment: str


@dataclass(frozen=True)
class Segment:
    """One segment: its tag, its elements (X12 numbering, from 1) and its line in the file."""

    tag: str
    elements: tuple[str, ...]
    line: int
    delimiters: Delimiters

    def element(self, position: int) -> str:
        """Element ``position`` (CLP01 is ``element(1)``), "" when absent."""
        return self.elements[position - 1] if 0 < position <= len(self.elements) else ""

    def components(self, position: int) -> list[str]:
        """The components of a composite element, e.g. SVC01 "N4:00093015001"."""
        return self.element(position).split(self.delimiters.component)

    def where(self) -> str:
        """Where the segment is, for error messages."""
        return f"{self.tag} segment on line {self.line}"

    def number(self, position: int, name: str) -> Decimal | None:
        """A decimal number element (type R), None when empty."""
        raw = self.element(position).strip()
        if not raw:
            return None
        if not _NUMBER.fullmatch(raw):
            raise X12SyntaxError(f"The {self._name(position, name)} is {raw!r}, not a number.")
        return Decimal(raw)

    def optional_money(self, position: int, name: str) -> Decimal | None:
        """An amount of money (type R, at most two decimal places), None when empty."""
        amount = self.number(position, name)
        if amount is None:
            return None
        if amount != amount.quantize(_CENT):
            raise X12SyntaxError(
                f"The {self._name(position, name)} is {self.element(position)!r}, "
                "finer than a cent."
            )
        return amount.quantize(_CENT) + Decimal("0.00")  # no "-0.00"

    def money(self, position: int, name: str) -> Decimal:
        """A required amount of money."""
        amount = self.optional_money(position, name)
        if amount is None:
            raise X12SyntaxError(f"The {self._name(position, name)} is missing.")
        return amount

    def date_value(self, position: int, name: str) -> date:
        """A required date element written CCYYMMDD (format qualifier D8)."""
        raw = self.element(position).strip()
        try:
            if len(raw) != 8 or not is_digits(raw):
                raise ValueError(raw)
            return datetime.strptime(raw, "%Y%m%d").date()
        except ValueError:
            raise X12SyntaxError(
                f"The {self._name(position, name)} is {raw!r}, not a date written CCYYMMDD."
            ) from None

    def _name(self, position: int, name: str) -> str:
        """An element named for error messages: "claim charge (CLP03) in the CLP segment..."."""
        return f"{name} ({self.tag}{position:02d}) in the {self.where()}"


@dataclass(frozen=True)
class TransactionSet:
    """The segments of one ST...SE transaction set (ST and SE included)."""

    code: str  # ST01, e.g. "835"
    version: str  # GS08, e.g. "005010X221A1"
    functional_id: str  # GS01, e.g. "HP" for health care claim payment/advice
    segments: tuple[Segment, ...]


def read_delimiters(text: str) -> Delimiters:
    """The delimiters declared by the ISA segment at the start of ``text``."""
    if not text.startswith("ISA"):
        start = text[:20].splitlines()[0] if text else ""
        raise X12SyntaxError(
            f'This is not an X12 file: it should start with "ISA" but starts with "{start}".'
        )
    element = text[3:4]
    # ISA has 16 elements; the 17th piece starts with ISA16 then the terminator.
    pieces = text.split(element, _ISA_ELEMENT_COUNT) if element else []
    if len(pieces) <= _ISA_ELEMENT_COUNT or len(pieces[-1]) < 2:
        raise X12SyntaxError("The ISA segment on line 1 is cut short; the file is incomplete.")
    component, segment = pieces[-1][0], pieces[-1][1]
    chosen = (element, component, segment)
    if len(set(chosen)) != 3 or any(ch.isalnum() or ch == " " for ch in chosen):
        raise X12SyntaxError(
            "The ISA segment on line 1 declares unusable separators "
            f"(element {element!r}, component {component!r}, segment {segment!r})."
        )
    return Delimiters(element, component, segment)


def read_segments(text: str) -> list[Segment]:
    """Split an interchange into segments, using the delimiters its ISA declares."""
    text = text.lstrip("\ufeff \t\r\n")
    delimiters = read_delimiters(text)
    # A newline terminator is consumed by the split, so it counts a line itself.
    terminator_lines = delimiters.segment.count("\n")
    segments: list[Segment] = []
    line = 1
    chunks = text.split(delimiters.segment)
    for index, chunk in enumerate(chunks):
        leading = len(chunk) - len(chunk.lstrip("\r\n"))
        body_line = line + chunk.count("\n", 0, leading)
        line += chunk.count("\n") + terminator_lines
        body = chunk.strip("\r\n")
        if not body.strip():
            continue  # blank lines between segments
        if index == len(chunks) - 1:
            raise X12SyntaxError(
                f'Line {body_line}: "{body[:20]}" is not ended by the segment terminator '
                f"{delimiters.segment!r}; the file may be cut short."
            )
        parts = body.split(delimiters.element)
        if not _TAG.fullmatch(parts[0]):
            raise X12SyntaxError(
                f'Line {body_line}: "{body[:20]}" does not start with a segment name.'
            )
        segments.append(Segment(parts[0], tuple(parts[1:]), body_line, delimiters))
    return segments


def read_transaction_sets(text: str) -> list[TransactionSet]:
    """Every transaction set in an interchange, after checking its envelope."""
    segments = read_segments(text)
    isa = segments[0]
    if len(isa.elements) != _ISA_ELEMENT_COUNT:
        raise X12SyntaxError(f"The {isa.where()} has {len(isa.elements)} elements, not 16.")
    iea = next((segment for segment in segments if segment.tag == "IEA"), None)
    if iea is None:
        raise X12SyntaxError(
            f"The file ends with the {segments[-1].where()} and has no IEA; it may be cut short."
        )
    if iea is not segments[-1]:
        raise X12SyntaxError(
            f"The file goes on after the {iea.where()}; import one interchange per file."
        )
    sets: list[TransactionSet] = []
    groups = 0
    position = 1
    while position < len(segments) - 1:
        gs = segments[position]
        _expect(gs, "GS")
        position = _read_group(segments, position, sets)
        groups += 1
    _check_trailer(iea, groups, isa.element(13), "functional groups", "ISA13")
    return sets


def _read_group(segments: list[Segment], position: int, sets: list[TransactionSet]) -> int:
    """Read the group starting at ``position`` (a GS) into ``sets``; return the next position."""
    gs = segments[position]
    count = 0
    position += 1
    while position < len(segments) and segments[position].tag == "ST":
        st = segments[position]
        end = position
        while end < len(segments) and segments[end].tag not in ("SE", "GE", "IEA"):
            end += 1
        if end == len(segments) or segments[end].tag != "SE":
            raise X12SyntaxError(f"The transaction set started by the {st.where()} has no SE.")
        se = segments[end]
        _check_trailer(se, end - position + 1, st.element(2), "segments", "ST02")
        body = tuple(segments[position : end + 1])
        sets.append(TransactionSet(st.element(1), gs.element(8), gs.element(1), body))
        count += 1
        position = end + 1
    if position >= len(segments) or segments[position].tag != "GE":
        found = segments[min(position, len(segments) - 1)]
        raise X12SyntaxError(f"Expected ST or GE but found the {found.where()}.")
    _check_trailer(segments[position], count, gs.element(6), "transaction sets", "GS06")
    return position + 1


def _check_trailer(trailer: Segment, counted: int, control: str, what: str, header: str) -> None:
    """Check a trailer's count (element 1) and control number (element 2)."""
    if trailer.element(1) != str(counted):
        raise X12SyntaxError(
            f"The {trailer.where()} counts {trailer.element(1) or 'nothing'} {what} "
            f"but there are {counted}; the file may be cut short or edited."
        )
    if trailer.element(2).strip() != control.strip():
        raise X12SyntaxError(
            f"The {trailer.where()} has control number {trailer.element(2)!r}, "
            f"which does not match {header} {control!r}."
        )


def _expect(segment: Segment, tag: str) -> None:
    """Raise unless ``segment`` is a ``tag`` segment."""
    if segment.tag != tag:
        raise X12SyntaxError(f"Expected {tag} but found the {segment.where()}.")
