"""ASAP 4.2A files for a state PMP, on plain values (no Flask, no database).

Sources, as read for this module (December 2026):
- Utah Admin. Code R156-37f-203, "Submission, Collection, and Maintenance of Data" (copy at
  casetext.com/regulation/utah-administrative-code/commerce/title-r156-commerce-professional-
  licensing/rule-r156-37f-controlled-substance-database-act-rule/section-r156-37f-203-
  submission-collection-and-maintenance-of-data, current through Bulletin 2024-20,
  October 15, 2024): (1) daily, from the
  point of sale date, in chronological order of the date sold; (3) ASAP 4.2; (4)(a)-(h)
  the fields TH01, TH02, TH05, TH06, TH07, TH09, IS01, IS02 (the rest of (4) was not in
  the stored copy).
- Utah Admin. Code R156-37f-102 (copy at utrules.elaws.us/uac/r156-37f): "Point of sale
  date"/"Date Sold" is the day the drug left the pharmacy, reported in DSP17.
- RxGov (Leap Orbit) "Data Submitter Guide", support.leaporbit.com/support/solutions/
  articles/60001644032-data-submitter-guide: a report every 24 hours, a zero report on a
  day without controlled dispensings, the layout in its Appendix A (ASAP Specifications).
  Only the guide's opening was readable in the stored copy: Appendix A's tables were not,
  so element positions and usage below are the ASAP 4.2A layout the guide points to.
- Appriss (Bamboo Health) "Data Submission Guide for Dispensers", Florida PDMP (E-FORCSE),
  version 2.4, March 2020, and Washington State PMP, version 1.1, March 2020 (copies at
  vdocuments.mx/data-submission-guide-for-for-additional-details-on-these-elements-and-
  others.html and dokumen.tips/documents/data-submission-guide-for-dispensers-other-
  identified-drug-of-abuse-to-an-ultimate.html): both lay out ASAP 4.2A in their Appendix A,
  but only their cover and contents were readable in the stored copies (December 2026).
- Checked element by element instead against the U.S. Department of Veterans Affairs'
  VistA Outpatient Pharmacy ASAP export, routines PSOASAP (patch PSO*7*451, 09/30/15)
  and PSOASAP1 (PSO*7*772), github.com/WorldVistA/VistA-M, "Packages/Outpatient Pharmacy/
  Routines/PSOASAP.m": one entry per element, named and placed by ASAP version (4.0, 4.1,
  4.2, 4.2A). The positions written here agree with it for TH01-TH09, IS01-IS03, PHA01-
  PHA13, PAT01-PAT22 (PAT20 species code), DSP01-DSP21 (DSP17 date sold), DSP23 (Rx SIG,
  new in 4.2A: sent from December 2026), PRE01-PRE08 (PRE08 phone; no prescriber address
  before ASAP 5.0, so a prescriber's new address is never a revision) and AIR01-AIR11
  (AIR01/AIR02 a state serialized prescription form, AIR03 the jurisdiction that issued the
  ID, AIR04/AIR05 the ID, AIR06 relationship, AIR07/AIR08 last and first name of the person
  dropping off or picking up, AIR09/AIR10 the pharmacist, AIR11 the dropping off/picking up
  identifier qualifier, new in 4.2: AIR03-AIR11 sent from the pickup record and the final
  verification from December 2026).
  DSP22 (quantity prescribed), PAT23 and PRE09 are not named there; their places are the
  ASAP 4.2A layout's. It gives neither usage (required or situational) nor lengths: those
  in SEGMENT_FIELDS remain the ASAP layout's, not a state guide's table.
- Code lists of AIR04 (ID qualifier: 01 military, 02 state-issued, 03 unique system ID,
  04 permanent resident card, 05 passport, 06 driver's license, 07 SSN, 08 tribal ID, 99
  other), AIR06 (01 patient, 02 parent/legal guardian, 03 spouse, 04 caregiver, 99 other)
  and AIR11 (01 dropping off, 02 picking up, 03 unknown) as a dispensing system offers them
  for ASAP 4.2 entry (a pharmacy dispatch form in a public repository, read December 2026).
- DSP01 reporting status: 00 new, 01 revise, 02 void from ASAP 4.1 on (PSOASAP above;
  Minnesota Board of Pharmacy PMP, "File Submission", mn.gov/boards/pharmacy-pmp/
  submissions/error-correction/file-submission.jsp: a void repeats the prescription number,
  fill date, pharmacy DEA, quantity and refill number).

A file: TH, IS, then per pharmacy PHA, then per dispensing PAT, DSP, PRE (and AIR for the
person who picked up a controlled fill, with their ID for a C-II), then TP (the pharmacy's
segment count, PHA to TP) and TT (the whole file's segment count, TH to TT). Elements are
separated by "*", segments end with "~" (TH09). A day with no dispensings is sent as a zero
report: PAT07/PAT08 "REPORT"/"ZERO" and DSP05 the report date, other elements empty.

DSP01, reporting status: "00" new, "01" revise, "02" void (a revised or voided record
repeats the prescription number, fill date, refill number and quantity as first sent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

VERSION = "4.2A"
ELEMENT = "*"
SEGMENT_END = "~"

NEW, REVISE, VOID = "00", "01", "02"

# DSP12: transmission form of Rx origin.
ORIGIN_CODES = {
    "written": "01",
    "phone": "02",
    "emergency_oral": "03",  # telephone emergency (21 CFR 1306.11(d))
    "fax": "04",
    "electronic": "05",
    "transfer": "06",
}
# DSP11: drug dosage units: 01 each, 02 milliliters, 03 grams.
UNIT_CODES = {"each": "01", "tab": "01", "cap": "01", "mL": "02", "g": "03"}
# DSP16: classification code for payment type.
PAYMENT_CODES = {
    "cash": "01",
    "medicaid": "02",
    "medicare": "03",
    "commercial": "04",
    "military": "05",
    "workers_comp": "06",
    "other": "99",
}
# AIR04: ID qualifier of the person picking up, from the photo ID recorded at pickup
# (prescriptions.policy.PICKUP_ID_TYPES). ASAP 4.2 qualifier codes; that AIR04 takes them is
# confirmed by asapnet.org/asap-pmp-updates.html (code 04 added to PAT02, PAT05 and AIR04),
# the list itself is the standard's and was not re-read from the guide's Appendix A.
PICKUP_ID_CODES = {
    "military_id": "01",
    "state_id": "02",
    "passport": "05",
    "driver_license": "06",
    "other": "99",
}
# AIR06: relationship of the person dropping off or picking up, from the pickup record
# (fills.picked_up_relationship_code: "patient" or prescriptions.policy.PICKUP_RELATIONSHIPS).
PICKUP_RELATIONSHIP_CODES = {
    "patient": "01",
    "guardian": "02",  # parent or legal guardian
    "spouse": "03",
    "caregiver": "04",
    "other": "99",
}
# AIR11: dropping off/picking up identifier qualifier; the portal records the pickup only.
PICKING_UP = "02"
# DSP23, Rx SIG (new in 4.2A): the directions, cut to this length.
SIG_LENGTH = 200
# PAT19: gender code.
GENDER_CODES = {"F": "F", "M": "M"}

# Element positions per segment (how many the guide defines), and those it requires.
SEGMENT_FIELDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "TH": (9, ("TH01", "TH02", "TH05", "TH06", "TH07", "TH09")),
    "IS": (3, ("IS01", "IS02")),
    "PHA": (13, ("PHA03",)),
    "PAT": (23, ("PAT07", "PAT08", "PAT12", "PAT14", "PAT15", "PAT16", "PAT18", "PAT19", "PAT20")),
    "DSP": (
        25,
        (
            "DSP01",
            "DSP02",
            "DSP03",
            "DSP04",
            "DSP05",
            "DSP06",
            "DSP07",
            "DSP08",
            "DSP09",
            "DSP10",
            "DSP11",
            "DSP12",
            "DSP13",
            "DSP16",
        ),
    ),
    "PRE": (9, ("PRE02",)),
    "AIR": (11, ()),
    "TP": (1, ("TP01",)),
    "TT": (2, ("TT01", "TT02")),
}


@dataclass(frozen=True)
class PmpPharmacy:
    name: str
    dea: str
    npi: str = ""
    ncpdp: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class PmpDispensing:
    """One controlled dispensing as the PMP reads it."""

    status: str = NEW  # DSP01
    rx_number: str
    written_on: date
    refills_authorized: int
    filled_on: date
    fill_number: int  # DSP06: 0 the original, 1.. refills
    ndc: str  # 11 digits, no dashes
    quantity: Decimal
    days_supply: int
    unit: str  # policy unit: tab, cap, mL, g, each
    origin: str  # ORIGIN_CODES key
    partial: int = 0  # DSP13: 00 not partial, 01 first partial, 02.. the following
    payment: str = "cash"
    quantity_prescribed: Decimal | None = None  # DSP22
    sig: str = ""  # DSP23, the directions as labelled (at most 200 characters)
    patient_last: str
    patient_first: str
    patient_middle: str = ""
    patient_address: str
    patient_city: str
    patient_state: str
    patient_zip: str
    patient_phone: str = ""
    patient_birth: date
    patient_gender: str = "U"
    prescriber_npi: str = ""
    prescriber_dea: str
    prescriber_last: str = ""
    prescriber_first: str = ""
    prescriber_phone: str = ""
    picked_up_id_type: str = ""  # PICKUP_ID_CODES key, sent in AIR04 (C-II pickup)
    picked_up_id: str = ""  # AIR05
    picked_up_id_state: str = ""  # AIR03: two-letter code of the state that issued the ID
    picked_up_relationship: str = ""  # PICKUP_RELATIONSHIP_CODES key, sent in AIR06
    picked_up_last: str = ""  # AIR07
    picked_up_first: str = ""  # AIR08
    pharmacist_npi: str = ""
    pharmacist_last: str = ""  # AIR09: the pharmacist who did final verification
    pharmacist_first: str = ""  # AIR10
    schedule: str = ""  # "2".."5": which dispensings carry AIR (AIR_FOR); not itself sent
    sold_on: date | None = None  # DSP17: the day it left the pharmacy (R156-37f-102)


def _clean(value) -> str:
    """An element's text: no separators or terminators inside it, upper case, trimmed."""
    text = "" if value is None else str(value)
    for bad in (ELEMENT, SEGMENT_END, "\n", "\r"):
        text = text.replace(bad, " ")
    return " ".join(text.split()).upper()


def segment(name: str, *elements) -> str:
    """NAME*E1*E2...~ with trailing empty elements dropped."""
    values = [_clean(e) for e in elements]
    while values and values[-1] == "":
        values.pop()
    return ELEMENT.join([name, *values]) + SEGMENT_END


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _digits(text: str) -> str:
    """Only the ASCII digits (phone, ZIP, NDC as typed with dashes or spaces)."""
    return re.sub(r"[^0-9]", "", text or "")


def _number(value) -> str:
    return format(Decimal(value).normalize(), "f")


def pharmacy_header(pharmacy: PmpPharmacy) -> str:
    return segment(
        "PHA",
        pharmacy.npi,
        pharmacy.ncpdp,
        pharmacy.dea,
        pharmacy.name,
        pharmacy.address,
        "",
        pharmacy.city,
        pharmacy.state,
        _digits(pharmacy.zip_code)[:9],
        _digits(pharmacy.phone),
    )


# Which dispensings carry the AIR segment: the state's choice (setting pmp.air_for). Some
# states ask for AIR (who picked up, with ID) for C-II only, others for every controlled
# substance; a dispensing without a recorded pickup has none either way.
AIR_FOR_ALL, AIR_FOR_C2 = "all", "c2"
AIR_FOR = ((AIR_FOR_ALL, "All controlled substances (C-II to C-V)"), (AIR_FOR_C2, "C-II only"))


def sends_air(d: PmpDispensing, air_for: str = AIR_FOR_ALL) -> bool:
    """Whether this dispensing's file carries an AIR segment."""
    if not (d.picked_up_id or d.picked_up_last):
        return False
    return air_for != AIR_FOR_C2 or d.schedule == "2"


def dispensing_segments(d: PmpDispensing, air_for: str = AIR_FOR_ALL) -> list[str]:
    """PAT, DSP, PRE and, for a pickup recorded where the state wants it (sends_air), AIR."""
    found = [
        segment(
            "PAT",
            "",
            "",
            "",
            "",
            "",
            "",
            d.patient_last,
            d.patient_first,
            d.patient_middle,
            "",
            "",
            d.patient_address,
            "",
            d.patient_city,
            d.patient_state,
            _digits(d.patient_zip)[:9],
            _digits(d.patient_phone),
            _day(d.patient_birth),
            GENDER_CODES.get(d.patient_gender, "U"),
            "01",
        ),
        segment(
            "DSP",
            d.status,
            d.rx_number,
            _day(d.written_on),
            d.refills_authorized,
            _day(d.filled_on),
            d.fill_number,
            "01",
            _digits(d.ndc),
            _number(d.quantity),
            d.days_supply,
            UNIT_CODES.get(d.unit, "01"),
            ORIGIN_CODES.get(d.origin, "99"),
            f"{d.partial:02d}",
            d.pharmacist_npi,
            "",
            PAYMENT_CODES.get(d.payment, "99"),
            _day(d.sold_on) if d.sold_on else "",
            "",
            "",
            "",
            "",
            _number(d.quantity_prescribed) if d.quantity_prescribed is not None else "",
            _clean(d.sig)[:SIG_LENGTH],
        ),
        segment(
            "PRE",
            d.prescriber_npi,
            d.prescriber_dea,
            "",
            "",
            d.prescriber_last,
            d.prescriber_first,
            "",
            _digits(d.prescriber_phone),
        ),
    ]
    if sends_air(d, air_for):
        found.append(air_segment(d))
    return found


def air_segment(d: PmpDispensing) -> str:
    """AIR: who picked the prescription up, as the pickup recorded it, and the pharmacist.

    AIR01 and AIR02 are the state that issued a serialized prescription blank and its serial
    number (PSOASAP: "State Issuing Rx Serial Number", "State Issued Rx Serial Number"): the
    portal records no state prescription forms, so they stay empty. AIR03, "Issuing
    Jurisdiction", is the state that issued the ID in AIR05 (two-letter code, recorded at
    pickup). AIR09 "Last Name or Initials of Pharmacist" and AIR10 "First Name of
    Pharmacist" name the pharmacist who did final verification."""
    qualifier = PICKUP_ID_CODES.get(d.picked_up_id_type, "99") if d.picked_up_id else ""
    return segment(
        "AIR",
        "",
        "",
        d.picked_up_id_state if d.picked_up_id else "",
        qualifier,
        d.picked_up_id,
        PICKUP_RELATIONSHIP_CODES.get(d.picked_up_relationship, "") if d.picked_up_last else "",
        d.picked_up_last,
        d.picked_up_first,
        d.pharmacist_last,
        d.pharmacist_first,
        PICKING_UP,
    )


def build_file(
    pharmacy: PmpPharmacy,
    dispensings: list[PmpDispensing],
    *,
    control_number: str,
    created_at: datetime,
    start: date,
    end: date,
    production: bool = True,
    air_for: str = AIR_FOR_ALL,
) -> str:
    """The ASAP 4.2A file for the period; a zero report when there is nothing to send.
    ``air_for``: which dispensings carry AIR (AIR_FOR, the state's choice)."""
    head = [
        # Written whole: TH08 stays empty and TH09 is the terminator itself, raw.
        ELEMENT.join(
            [
                "TH",
                VERSION,
                _clean(control_number),
                "01",
                "",
                _day(created_at),
                created_at.strftime("%H%M%S"),
                "P" if production else "T",
                "",
                SEGMENT_END,
            ]
        )
        + SEGMENT_END,
        segment(
            "IS",
            _digits(pharmacy.phone) or pharmacy.dea,
            pharmacy.name,
            f"#{_day(start)}#-#{_day(end)}#",
        ),
    ]
    detail = [pharmacy_header(pharmacy)]
    if dispensings:
        # R156-37f-203(1)(a): in chronological order of the date sold (the fill date until
        # it is sold); sorted() keeps the given order within a day.
        for dispensing in sorted(dispensings, key=lambda d: d.sold_on or d.filled_on):
            detail.extend(dispensing_segments(dispensing, air_for))
    else:
        detail.extend(
            [
                segment("PAT", "", "", "", "", "", "", "REPORT", "ZERO"),
                segment("DSP", "", "", "", "", _day(end)),
                segment("PRE"),
            ]
        )
    detail.append(segment("TP", len(detail) + 1))
    segments = [*head, *detail]
    segments.append(segment("TT", control_number, len(segments) + 1))
    return "".join(segments)  # no line breaks: some PMPs read them as data


def parse(text: str) -> list[list[str]]:
    """Segments of a file as lists of elements (name first): for tests and checks."""
    found = []
    for line in text.split(SEGMENT_END):
        if line:
            found.append(line.split(ELEMENT))
    return found
