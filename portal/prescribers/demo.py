"""Demo prescribers for `flask --app portal demo load` (a loader of portal.foundation.demo).

NPIs and DEA numbers are made up but pass their check digits (identifiers.md), so they
behave like real ones everywhere in the portal.
"""

from portal.audit import log as audit
from portal.foundation.identifiers import dea_check_digit, npi_check_digit
from portal.prescribers.models import Prescriber

ALL = "2 2N 3 3N 4 5"

# first, last, credentials, practice, NPI (9 digits), DEA (prefix + 6 digits), schedules,
# license, phone, fax, street
PRESCRIBERS = (
    (
        "Ana",
        "Whitfield",
        "MD",
        "Springfield Family Medicine",
        "148293756",
        "B",
        "482915",
        ALL,
        "036.118472",
        "(217) 555-0190",
        "(217) 555-0191",
        "800 N Rutledge St",
    ),
    (
        "Omar",
        "Adeyemi",
        "DO",
        "Capitol Internal Medicine",
        "162047385",
        "F",
        "305718",
        ALL,
        "036.129904",
        "(217) 555-0230",
        "(217) 555-0231",
        "1 S Old State Capitol Plaza",
    ),
    (
        "Grace",
        "Lindqvist",
        "NP",
        "Prairie Health Clinic",
        "173920461",
        "M",
        "620184",
        "2 2N 3 3N 4 5",
        "209.044817",
        "(217) 555-0312",
        "(217) 555-0313",
        "2200 S 6th St",
    ),
    (
        "Daniel",
        "Okafor",
        "PA",
        "Prairie Health Clinic",
        "185204937",
        "M",
        "731562",
        "3 3N 4 5",
        "085.011093",
        "(217) 555-0312",
        "(217) 555-0313",
        "2200 S 6th St",
    ),
    (
        "Mei",
        "Tanaka",
        "DDS",
        "Lincoln Park Dental",
        "119384027",
        "B",
        "284061",
        "2 3 4 5",
        "019.027715",
        "(217) 555-0477",
        "(217) 555-0478",
        "915 W Jefferson St",
    ),
    (
        "Robert",
        "Halvorsen",
        "DVM",
        "Sangamon Animal Hospital",
        "130572846",
        "A",
        "951347",
        ALL,
        "090.006281",
        "(217) 555-0544",
        "(217) 555-0545",
        "3100 Wabash Ave",
    ),
    (
        "Lucia",
        "Ferreira",
        "MD",
        "Memorial Dermatology",
        "141660293",
        "B",
        "406729",
        "",
        "036.133058",
        "(217) 555-0620",
        "(217) 555-0621",
        "701 N 1st St",
    ),
    (
        "Samuel",
        "Brightwater",
        "MD",
        "Springfield Pain & Spine",
        "152918374",
        "F",
        "518830",
        ALL,
        "036.140226",
        "(217) 555-0705",
        "(217) 555-0706",
        "1025 S 7th St",
    ),
)


def load() -> str:
    """Create the demo prescribers (skipped when prescribers exist). Returns a summary line."""
    if Prescriber.select().exists():
        return "prescribers: already present, none added"
    for row in PRESCRIBERS:
        first, last, credentials, practice, npi9, dea_type, dea6, schedules = row[:8]
        license_number, phone, fax, street = row[8:]
        dea = f"{dea_type}{last[0]}{dea6}{dea_check_digit(dea6)}" if schedules else None
        prescriber = Prescriber.create(
            first_name=first,
            last_name=last,
            credentials=credentials,
            practice_name=practice,
            npi=npi9 + str(npi_check_digit(npi9)),
            dea=dea,
            dea_schedules=schedules,
            license_number=license_number,
            license_state="IL",
            phone=phone,
            fax=fax,
            address_line1=street,
            city="Springfield",
            state="IL",
            postal_code="62701",
        )
        audit.record("create", "prescriber", prescriber.id, after=audit.snapshot(prescriber))
    return f"prescribers: {len(PRESCRIBERS)} added"
