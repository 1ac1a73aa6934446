"""Catalog rules: National Drug Codes (NDC) as typed and as scanned from a package.

FDA (21 CFR 207.33) prints a 10-digit NDC as labeler-product-package in one of
three shapes, 4-4-2, 5-3-2 or 5-4-1; billing (HIPAA/NCPDP) uses the 11-digit
5-4-2 form made by padding the short segment with a leading zero. Mortar stores
and compares the 11-digit form with hyphens, ``NNNNN-NNNN-NN``.
"""

from __future__ import annotations

import re

from portal.foundation.i18n import N_

# Segment lengths of a hyphenated NDC -> the segment that gets a leading zero.
_PAD_SEGMENT: dict[tuple[int, int, int], int | None] = {
    (4, 4, 2): 0,
    (5, 3, 2): 1,
    (5, 4, 1): 2,
    (5, 4, 2): None,  # already the billing form
}
_DIGITS = re.compile(r"[0-9]+")
_SHAPES_IN_WORDS = "4-4-2, 5-3-2, 5-4-1 or 5-4-2"


def _billing_form(segments: list[str]) -> str:
    """Join three segments of an NDC shape into NNNNN-NNNN-NN."""
    pad = _PAD_SEGMENT[(len(segments[0]), len(segments[1]), len(segments[2]))]
    if pad is not None:
        segments = [("0" + s if i == pad else s) for i, s in enumerate(segments)]
    return "-".join(segments)


def normalize_ndc(text: str) -> str:
    """Return the 11-digit billing form ``NNNNN-NNNN-NN`` of a typed NDC.

    Accepts the hyphenated 10-digit shapes 4-4-2, 5-3-2 and 5-4-1, the
    hyphenated 5-4-2 form, and 11 bare digits (read as 5-4-2). Raises
    ``ValueError`` with the reason in words otherwise; 10 bare digits are
    ambiguous, so they are refused rather than guessed.
    """
    ndc = text.strip()
    if not ndc:
        raise ValueError(N_("NDC is empty"))
    if "-" in ndc:
        segments = ndc.split("-")
        if len(segments) != 3 or not all(_DIGITS.fullmatch(s) for s in segments):
            raise ValueError(
                N_("NDC must be three groups of digits separated by hyphens, like 12345-6789-01")
            )
        shape = tuple(len(s) for s in segments)
        if shape not in _PAD_SEGMENT:
            shown = "-".join(str(n) for n in shape)
            raise ValueError(
                f"NDC groups {shown} are not an NDC shape; expected {_SHAPES_IN_WORDS}"
            )
        return _billing_form(segments)
    if not _DIGITS.fullmatch(ndc):
        raise ValueError(N_("NDC may contain only digits and hyphens"))
    if len(ndc) == 11:
        return _billing_form([ndc[:5], ndc[5:9], ndc[9:]])
    if len(ndc) == 10:
        raise ValueError(
            N_(
                "10 digits without hyphens are ambiguous (4-4-2, 5-3-2 or 5-4-1); "
                "type the NDC with hyphens as printed on the package"
            )
        )
    raise ValueError(f"NDC must have 10 digits with hyphens or 11 digits ({len(ndc)} entered)")


def ndc10_candidates(digits: str) -> list[str]:
    """All billing forms a bare 10-digit NDC could be: 4-4-2, 5-3-2 and 5-4-1, in that order."""
    readings = [
        [digits[:4], digits[4:8], digits[8:]],
        [digits[:5], digits[5:8], digits[8:]],
        [digits[:5], digits[5:9], digits[9:]],
    ]
    candidates: list[str] = []
    for segments in readings:
        ndc = _billing_form(segments)
        if ndc not in candidates:
            candidates.append(ndc)
    return candidates


def gs1_check_digit(body: str) -> int:
    """GS1 mod-10 check digit (UPC-A, GTIN-14): weights 3,1,3,... from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def _check_gtin(code: str, kind: str) -> None:
    """Raise ValueError when the last digit of a UPC/GTIN is not its check digit."""
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise ValueError(
            f"{kind} check digit should be {expected}, not {code[-1]}; "
            "the scan was misread, scan again"
        )


def _ndc_from_upc(upc: str) -> list[str]:
    """UPC-A "3" + 10-digit NDC + check digit -> candidate NDCs."""
    _check_gtin(upc, "UPC")
    if upc[0] != "3":
        raise ValueError(f"this UPC does not carry an NDC (it starts with {upc[0]}, not 3)")
    return ndc10_candidates(upc[1:11])


def _ndc_from_gtin14(gtin: str) -> list[str]:
    """GTIN-14 "003" + 10-digit NDC + check digit -> candidate NDCs."""
    _check_gtin(gtin, "GTIN")
    if gtin[0] != "0":
        # Indicator digits 1-8 mark cases and bundles; their NDC may not be the package's.
        raise ValueError(
            f"this barcode is for a case or bundle (packaging indicator {gtin[0]}); "
            "scan the package itself"
        )
    if gtin[1:3] != "03":
        raise ValueError(N_("this GTIN does not carry an NDC (it does not start with 003)"))
    return ndc10_candidates(gtin[3:13])


# GS1 General Specifications, "predefined length" table: element strings whose
# AI starts with these two digits have a fixed total length (AI + data); all
# others are variable and end at a GS (FNC1) separator or the end of the data.
_GS1_FIXED_LENGTH = {
    "00": 20, "01": 16, "02": 16, "03": 16, "04": 18,
    "11": 8, "12": 8, "13": 8, "14": 8, "15": 8, "16": 8, "17": 8, "18": 8, "19": 8,
    "20": 4, "31": 10, "32": 10, "33": 10, "34": 10, "35": 10, "36": 10, "41": 16,
}  # fmt: skip
_GS = "\x1d"
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")  # e.g. "]C1" GS1-128, "]d2" DataMatrix
_NO_GTIN = N_("could not find the product code (01) in this barcode")


def _gtin_from_gs1(data: str) -> str:
    """Return the 14-digit GTIN of AI (01) from a GS1-128 / DataMatrix element string."""
    if "(" in data:
        match = re.search(r"\(01\)\s*([0-9]*)", data)
        if not match:
            raise ValueError(_NO_GTIN)
        gtin = match.group(1)
    else:
        gtin = None
        position = 0
        while position < len(data):
            while data.startswith(_GS, position):
                position += 1
            ai = data[position : position + 2]
            if ai == "01":
                gtin = data[position + 2 : position + 16]
                break
            if ai in _GS1_FIXED_LENGTH:
                position += _GS1_FIXED_LENGTH[ai]
            else:
                end = data.find(_GS, position)
                position = len(data) if end == -1 else end
        if gtin is None:
            raise ValueError(_NO_GTIN)
    if not (len(gtin) == 14 and _DIGITS.fullmatch(gtin)):
        raise ValueError(N_("the product code (01) in this barcode is not 14 digits"))
    return gtin


def ndc_candidates_from_barcode(scan: str) -> list[str]:
    """Return the 11-digit NDCs a scanned package barcode (or typed NDC) may stand for.

    A barcode carries the 10-digit NDC without hyphens, which may be 4-4-2,
    5-3-2 or 5-4-1, so up to three candidates come back; the caller matches
    them against the NDC of the product it expects. Accepts UPC-A (12 digits,
    also as 13-digit EAN with a leading 0), a bare GTIN-14, GS1-128/DataMatrix
    text with AI (01) with or without parentheses and GS separators, and a
    typed NDC. Raises ``ValueError`` with the reason in words.
    """
    data = _AIM_PREFIX.sub("", scan.strip()).strip(_GS + " ")
    if not data:
        raise ValueError(N_("nothing was scanned"))
    # GS1 element strings first: their lot numbers may contain hyphens.
    if "(" in data or _GS in data or len(data) >= 16:
        return _ndc_from_gtin14(_gtin_from_gs1(data))
    if "-" in data:
        return [normalize_ndc(data)]
    if not _DIGITS.fullmatch(data):
        raise ValueError(N_("this barcode has letters or symbols where an NDC barcode has digits"))
    if len(data) == 10:
        return ndc10_candidates(data)
    if len(data) == 11:
        return [normalize_ndc(data)]
    if len(data) == 12:
        return _ndc_from_upc(data)
    if len(data) == 13 and data[0] == "0":
        return _ndc_from_upc(data[1:])
    if len(data) == 14:
        return _ndc_from_gtin14(data)
    raise ValueError(f"a barcode of {len(data)} digits is not an NDC, UPC or GS1 product code")
