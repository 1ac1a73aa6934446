"""ASAP 4.2A file against the sources cited in portal/reports/pmp/asap.py: Utah Admin. Code
R156-37f-203 (casetext.com copy, current through Bulletin 2024-20, October 15, 2024) for
the daily file, the order by date sold and the fields (4)(a)-(h); R156-37f-102 (utrules.
elaws.us copy) for DSP17 "Date Sold"; the RxGov (Leap Orbit) "Data Submitter Guide"
(support.leaporbit.com article 60001644032) for the zero report. That guide's Appendix A
tables could not be read from the stored copy, so positions and usage are the ASAP 4.2A
layout it refers to: segment order and counts, required elements at their positions, the
zero report."""

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

# Segment: (elements defined, {required element: (position, name)}). The position is the
# element's place after the segment name (TH*4.2A*... : TH01 is 1).
FIELD_LIST = {
    "TH": (
        9,
        {
            "TH01": (1, "version/release number"),
            "TH02": (2, "transaction control number"),
            "TH05": (5, "creation date"),
            "TH06": (6, "creation time"),
            "TH07": (7, "file type"),
            "TH09": (9, "segment terminator character"),
        },
    ),
    "IS": (3, {"IS01": (1, "information source ID"), "IS02": (2, "entity name")}),
    "PHA": (13, {"PHA03": (3, "pharmacy DEA number")}),
    "PAT": (
        23,
        {
            "PAT07": (7, "last name"),
            "PAT08": (8, "first name"),
            "PAT12": (12, "address"),
            "PAT14": (14, "city"),
            "PAT15": (15, "state"),
            "PAT16": (16, "ZIP code"),
            "PAT18": (18, "date of birth"),
            "PAT19": (19, "gender code"),
            "PAT20": (20, "species code"),
        },
    ),
    "DSP": (
        25,
        {
            "DSP01": (1, "reporting status"),
            "DSP02": (2, "prescription number"),
            "DSP03": (3, "date written"),
            "DSP04": (4, "refills authorized"),
            "DSP05": (5, "date filled"),
            "DSP06": (6, "refill number"),
            "DSP07": (7, "product ID qualifier"),
            "DSP08": (8, "product ID"),
            "DSP09": (9, "quantity dispensed"),
            "DSP10": (10, "days supply"),
            "DSP11": (11, "drug dosage units code"),
            "DSP12": (12, "transmission form of Rx origin code"),
            "DSP13": (13, "partial fill indicator"),
            "DSP16": (16, "classification code for payment type"),
        },
    ),
    "PRE": (9, {"PRE02": (2, "prescriber DEA number")}),
    "AIR": (11, {}),
    "TP": (1, {"TP01": (1, "detail segment count")}),
    "TT": (2, {"TT01": (1, "transaction control number"), "TT02": (2, "segment count")}),
}
# R156-37f-203(4)(a)-(h), the part of the list the stored copy held.
UTAH_RULE_FIELDS = {"TH01", "TH02", "TH05", "TH06", "TH07", "TH09", "IS01", "IS02"}


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


def _at(segment, position):
    return segment[position] if position < len(segment) else ""


def test_the_file_has_the_guides_segments_in_order_with_their_counts():
    text = _file(
        [
            _dispensing(),
            _dispensing("100002", picked_up_id="D1234", picked_up_id_type="driver_license"),
        ]
    )
    segments = asap.parse(text)
    names = [s[0] for s in segments]
    assert names == ["TH", "IS", "PHA", "PAT", "DSP", "PRE", "PAT", "DSP", "PRE", "AIR", "TP", "TT"]
    assert text.startswith("TH*4.2A*000000007*01**20260303*013000*P**~~")
    tp = segments[names.index("TP")]
    assert int(tp[1]) == names.index("TP") - names.index("PHA") + 1  # PHA to TP
    tt = segments[-1]
    assert tt[1] == "000000007" and int(tt[2]) == len(segments)


def test_the_field_table_agrees_with_itself_the_rule_and_the_module():
    for name, (defined, required) in FIELD_LIST.items():
        for code, (position, _) in required.items():
            assert code == f"{name}{position:02d}" and position <= defined
    required = {code for _, fields in FIELD_LIST.values() for code in fields}
    assert required >= UTAH_RULE_FIELDS
    assert {k: (n, set(r)) for k, (n, r) in asap.SEGMENT_FIELDS.items()} == {
        k: (n, set(r)) for k, (n, r) in FIELD_LIST.items()
    }


def test_every_required_field_is_filled_at_its_position_and_no_segment_is_too_long():
    text = _file(
        [
            _dispensing(),
            _dispensing("100002", picked_up_id="D1", picked_up_id_type="driver_license"),
        ]
    )
    assert text.startswith("TH*4.2A*000000007*01**20260303*013000*P**~~")  # TH09 is "~"
    for segment in asap.parse(text):
        defined, required = FIELD_LIST[segment[0]]
        assert len(segment) - 1 <= defined, segment
        for code, (position, name) in required.items():
            if code == "TH09":
                continue  # the terminator itself, empty once split: checked on the raw text
            assert position < len(segment) and segment[position], (code, name, segment)


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


def test_the_pickup_id_goes_in_air_as_an_asap_qualifier_code():
    ids = {"driver_license": "06", "state_id": "02", "passport": "05", "military_id": "01"}
    for kind, code in {**ids, "other": "99", "typed by hand": "99"}.items():
        [air] = [
            s
            for s in asap.parse(_file([_dispensing(picked_up_id="D1234", picked_up_id_type=kind)]))
            if s[0] == "AIR"
        ]
        assert air[4:6] == [code, "D1234"], kind


def test_date_sold_goes_in_dsp17_once_the_drug_has_left_the_pharmacy():
    [waiting, sold] = [
        s
        for s in asap.parse(_file([_dispensing(), _dispensing("100002", sold_on=date(2026, 3, 4))]))
        if s[0] == "DSP"
    ]
    assert _at(waiting, 17) == "" and sold[17] == "20260304"
    assert sold[5] == "20260302"  # DSP05 stays the fill date


def test_records_go_in_chronological_order_of_the_date_sold():
    later = _dispensing("100001", sold_on=date(2026, 3, 5))
    earlier = _dispensing("100002", sold_on=date(2026, 3, 3))
    unsold = _dispensing("100003")  # filled 2026-03-02, not yet sold
    dsp = [s for s in asap.parse(_file([later, earlier, unsold])) if s[0] == "DSP"]
    assert [s[2] for s in dsp] == ["100003", "100002", "100001"]


def test_a_day_without_dispensings_is_a_zero_report():
    assert _file([]) == (
        "TH*4.2A*000000007*01**20260303*013000*P**~~"
        "IS*2175550100*ELM STREET PHARMACY*#20260302#-#20260302#~"
        "PHA*1234567893*1456789*AE1234563*ELM STREET PHARMACY*1 ELM ST**SPRINGFIELD*IL*62701"
        "*2175550100~"
        "PAT*******REPORT*ZERO~"
        "DSP*****20260302~"
        "PRE~"
        "TP*5~"
        "TT*000000007*8~"
    )
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
