"""ASAP 4.2A file against the field list of the guide cited in portal/reports/pmp/asap.py
(Utah CSD RxGov Data Submitter's Reference Guide, Appendix A; Utah Admin. Code
R156-37f-203(4)): segment order and counts, required fields present, the zero report."""

from datetime import date, datetime
from decimal import Decimal

from portal.reports.pmp import asap

PHARMACY = asap.PmpPharmacy(
    name="Elm Street Pharmacy",
    dea="AE1234563",
    npi="1234567893",
    ncpdp="1456789",
    address="1 Elm St",
    city="Springfield",
    state="IL",
    zip_code="62701",
    phone="(217) 555-0100",
)

# The guide's fields, segment by segment: how many it defines, and those it requires.
FIELD_LIST = {
    "TH": (9, {"TH01", "TH02", "TH05", "TH06", "TH07", "TH09"}),
    "IS": (3, {"IS01", "IS02"}),
    "PHA": (13, {"PHA03"}),
    "PAT": (23, {"PAT07", "PAT08", "PAT12", "PAT14", "PAT15", "PAT16", "PAT18", "PAT19", "PAT20"}),
    "DSP": (
        25,
        {
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
        },
    ),
    "PRE": (9, {"PRE02"}),
    "AIR": (11, set()),
    "TP": (1, {"TP01"}),
    "TT": (2, {"TT01", "TT02"}),
}


def _dispensing(rx="100001", **overrides) -> asap.PmpDispensing:
    values = dict(
        rx_number=rx,
        written_on=date(2026, 3, 2),
        refills_authorized=0,
        filled_on=date(2026, 3, 2),
        fill_number=0,
        ndc="00406-0552-01",
        quantity=Decimal(20),
        days_supply=5,
        unit="tab",
        origin="written",
        patient_last="Okafor",
        patient_first="Grace",
        patient_address="12 Oak St",
        patient_city="Springfield",
        patient_state="IL",
        patient_zip="62702",
        patient_birth=date(1958, 3, 14),
        patient_gender="F",
        prescriber_dea="BW1234563",
        prescriber_npi="1000000011",
        prescriber_last="Whitfield",
        prescriber_first="Ana",
    )
    values.update(overrides)
    return asap.PmpDispensing(**values)


def _file(dispensings):
    return asap.build_file(
        PHARMACY,
        dispensings,
        control_number="000000007",
        created_at=datetime(2026, 3, 3, 1, 30),
        start=date(2026, 3, 2),
        end=date(2026, 3, 2),
    )


def _element(segment, code):
    position = int(code[len(segment[0]) :])
    return segment[position] if position < len(segment) else ""


def test_the_file_has_the_guides_segments_in_order_with_their_counts():
    text = _file(
        [_dispensing(), _dispensing("100002", picked_up_id="D1234", picked_up_id_type="01")]
    )
    segments = asap.parse(text)
    names = [s[0] for s in segments]
    assert names == ["TH", "IS", "PHA", "PAT", "DSP", "PRE", "PAT", "DSP", "PRE", "AIR", "TP", "TT"]
    assert text.startswith("TH*4.2A*000000007*01**20260303*013000*P**~~")
    tp = segments[names.index("TP")]
    assert int(tp[1]) == names.index("TP") - names.index("PHA") + 1  # PHA to TP
    tt = segments[-1]
    assert tt[1] == "000000007" and int(tt[2]) == len(segments)


def test_every_required_field_is_filled_and_no_segment_is_too_long():
    text = _file([_dispensing()])
    for segment in asap.parse(text):
        defined, required = FIELD_LIST[segment[0]]
        assert len(segment) - 1 <= defined, segment
        for code in required:
            if code == "TH09":
                continue  # the terminator itself: checked on the raw text
            assert _element(segment, code), (code, segment)
    assert {k: (n, set(r)) for k, (n, r) in asap.SEGMENT_FIELDS.items()} == FIELD_LIST


def test_dispensing_fields_carry_the_codes_of_the_guide():
    [_, _, _, pat, dsp, pre, *_] = asap.parse(
        _file([_dispensing(origin="emergency_oral", partial=1, quantity_prescribed=Decimal(30))])
    )
    assert (pat[7], pat[8], pat[18], pat[19], pat[20]) == ("OKAFOR", "GRACE", "19580314", "F", "01")
    assert dsp[1:14] == [
        "00",
        "100001",
        "20260302",
        "0",
        "20260302",
        "0",
        "01",
        "00406055201",
        "20",
        "5",
        "01",
        "03",
        "01",
    ]
    assert dsp[16] == "01" and dsp[22] == "30"
    assert pre[2] == "BW1234563"


def test_a_day_without_dispensings_is_a_zero_report():
    segments = asap.parse(_file([]))
    names = [s[0] for s in segments]
    assert names == ["TH", "IS", "PHA", "PAT", "DSP", "PRE", "TP", "TT"]
    pat, dsp = segments[3], segments[4]
    assert (pat[7], pat[8]) == ("REPORT", "ZERO") and dsp[5] == "20260302"
    assert segments[1][3] == "#20260302#-#20260302#"
    assert segments[6][1] == "5" and segments[7][2] == "8"


def test_separators_typed_into_a_field_cannot_break_the_file():
    segments = asap.parse(_file([_dispensing(patient_address="12 Oak St*Apt 4~B")]))
    assert segments[3][12] == "12 OAK ST APT 4 B"
