"""Words a label takes from other areas, named here so the catalog has them: the quantity
units (prescriptions/policy.py UNIT_WORDS), the commonest compound dosage forms, storage and
cautions typed on formulas, and the dates, in the label's language. Text typed otherwise
prints as typed."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from portal.foundation.i18n import ENGLISH, N_
from portal.prescriptions.screening.facts import plain_date

UNITS = (N_("tablets"), N_("capsules"), N_("each"))
DOSAGE_FORMS = (
    N_("oral suspension"),
    N_("oral solution"),
    N_("cream"),
    N_("ointment"),
    N_("gel"),
    N_("capsule"),
    N_("suppository"),
    N_("troche"),
)
STORAGE = (
    N_("Refrigerate 2–8 °C"),
    N_("Store at room temperature"),
    # A compounding record's storage from the BUD table (compounding/bud/table.py), as its
    # record keeps it, with a capital first letter (compounding/records/actions.py).
    N_("Store in a refrigerator (2–8 °C)"),
    N_("Store at controlled room temperature or in a refrigerator"),
)
CAUTIONS = (N_("Do not drink alcohol"),)


def label_date(day: date, locale: str) -> str:
    """ "Jul 15, 2024" in English; the month named in words in the patient's language too
    ("15 jul 2024"), so no one reads 07/08 the wrong way round."""
    if locale == ENGLISH:
        return plain_date(day)
    return format_date(day, "d MMM y", locale=locale)
