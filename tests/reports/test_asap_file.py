"""ASAP 4.2A file against the sources cited in portal/reports/pmp/asap.py: Utah Admin. Code
R156-37f-203 (casetext.com copy, current through Bulletin 2024-20, October 15, 2024) for
the daily file, the order by date sold and the fields (4)(a)-(h); R156-37f-102 (utrules.
elaws.us copy) for DSP17 "Date Sold"; the RxGov (Leap Orbit) "Data Submitter Guide"
(support.leaporbit.com article 60001644032) for the zero report. That guide's Appendix A
tables could not be read from the stored copy, so positions and usage are the ASAP 4.2A
layout it refers to: segment order and counts, required elements at their positions, the
zero report. Each element written is checked at the place the VA's VistA ASAP export names
it (PSOASAP, PSO*7*451, and PSOASAP1, PSO*7*772, in github.com/WorldVistA/VistA-M): the
Florida (v2.4, March 2020) and Washington (v1.1, March 2020) dispenser guides' Appendix A
tables were not readable in the stored copies."""

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


# Where the VistA Outpatient Pharmacy ASAP export (PSOASAP, PSO*7*451; PSOASAP1, PSO*7*772;
# github.com/WorldVistA/VistA-M) places each element this module writes, by its name there,
# with the value _dispensing() and PHARMACY give it. DSP22 is the ASAP 4.2A layout's place.
ELEMENT_PLACES = {
    "PHA": {
        1: ("National Provider Identifier", "1234567893"),
        2: ("NCPDP/NABP Provider ID", "1456789"),
        3: ("Pharmacy DEA Number", "AE1234563"),
        4: ("Pharmacy Name", "ELM STREET PHARMACY"),
        5: ("Pharmacy Address Information - Line 1", "1 ELM ST"),
        7: ("Pharmacy City Address", "SPRINGFIELD"),
        8: ("Pharmacy State Address", "IL"),
        9: ("Pharmacy ZIP Code", "62701"),
        10: ("Phone Number", "2175550100"),
    },
    "PAT": {
        7: ("Patient Last Name", "OKAFOR"),
        8: ("Patient First Name", "GRACE"),
        12: ("Patient Address Information - Line 1", "12 OAK ST"),
        14: ("Patient City Address", "SPRINGFIELD"),
        15: ("Patient State Address", "IL"),
        16: ("Patient ZIP Code", "62702"),
        18: ("Patient DOB", "19580314"),
        19: ("Patient Gender Code", "F"),
        20: ("Species Code", "01"),
    },
    "DSP": {
        1: ("Reporting Status", "00"),
        2: ("Prescription Number", "100001"),
        3: ("Date Rx Written", "20260302"),
        4: ("Refills Authorized", "0"),
        5: ("Date Filled", "20260302"),
        6: ("Refill Number", "0"),
        7: ("Product ID Qualifier", "01"),
        8: ("Product ID", "00406055201"),
        9: ("Quantity Dispensed", "20"),
        10: ("Days Supply", "5"),
        11: ("Drug Dosage Units Code", "01"),
        12: ("Transmission Form of Rx Origin Code", "01"),
        13: ("Partial Fill Indicator", "00"),
        14: ("Pharmacist National Provider Identifier", "1000000029"),
        16: ("Classification Code for Payment Type", "01"),
        17: ("Date Sold", "20260303"),
        22: ("Quantity Prescribed", "30"),
        23: ("SIG", "TAKE 1 TABLET BY MOUTH EVERY 6 HOURS AS NEEDED FOR PAIN"),
    },
    "PRE": {
        1: ("Prescriber National Provider Identifier", "1000000011"),
        2: ("Prescriber DEA Number", "BW1234563"),
        5: ("Prescriber Last Name", "WHITFIELD"),
        6: ("Prescriber First Name", "ANA"),
        8: ("Prescriber's Phone Number", "2175550123"),
    },
    "AIR": {
        4: ("ID Qualifier of Person Dropping Off or Picking Up Rx", "06"),
        5: ("ID of Person Dropping Off or Picking Up Rx", "D1234"),
        6: ("Relationship of Person Dropping Off or Picking Up Rx", "04"),
        7: ("Last Name of Person Dropping Off or Picking Up Rx", "LEE"),
        8: ("First Name of Person Dropping Off or Picking Up Rx", "SAM"),
        11: ("Dropping Off/Picking Up Identifier Qualifier", "02"),
    },
}


def test_every_element_written_sits_where_the_cited_element_list_places_it():
    text = _file(
        [
            _dispensing(
                pharmacist_npi="1000000029",
                sold_on=date(2026, 3, 3),
                quantity_prescribed=Decimal(30),
                sig="Take 1 tablet by mouth every 6 hours as needed for pain",
                prescriber_phone="(217) 555-0123",
                picked_up_id_type="driver_license",
                picked_up_id="D1234",
                picked_up_relationship="caregiver",
                picked_up_last="Lee",
                picked_up_first="Sam",
            )
        ]
    )
    segments = {s[0]: s for s in asap.parse(text)}
    for name, places in ELEMENT_PLACES.items():
        defined, _ = FIELD_LIST[name]
        for position, (element, value) in places.items():
            assert position <= defined
            assert _at(segments[name], position) == value, (name, position, element)
    # AIR01-AIR03 and AIR09-AIR10 are not recorded at pickup: left empty.
    assert [_at(segments["AIR"], p) for p in (1, 2, 3, 9, 10)] == [""] * 5


def test_the_person_picking_up_goes_in_air06_to_air08_with_air11():
    codes = {"patient": "01", "guardian": "02", "spouse": "03", "caregiver": "04", "other": "99"}
    for relationship, code in codes.items():
        [air] = [
            s
            for s in asap.parse(
                _file(
                    [
                        _dispensing(
                            picked_up_relationship=relationship,
                            picked_up_last="Okafor",
                            picked_up_first="Grace",
                        )
                    ]
                )
            )
            if s[0] == "AIR"
        ]
        # No ID recorded (a C-III to C-V): AIR04/AIR05 empty, the names and AIR11 sent.
        assert air[4:9] == ["", "", code, "OKAFOR", "GRACE"] and air[11] == "02", relationship


def test_no_air_segment_when_the_pickup_recorded_nobody():
    names = [s[0] for s in asap.parse(_file([_dispensing()]))]
    assert "AIR" not in names


def test_the_sig_goes_in_dsp23_cut_to_200_characters():
    [dsp] = [s for s in asap.parse(_file([_dispensing(sig="take " * 60)])) if s[0] == "DSP"]
    assert len(dsp[23]) <= asap.SIG_LENGTH and dsp[23].startswith("TAKE TAKE")
    assert len(dsp) - 1 <= FIELD_LIST["DSP"][0]
