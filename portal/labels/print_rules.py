"""Plain words for print warnings (no Flask, no database)."""

from __future__ import annotations

from portal.foundation.i18n import N_

FIELD_WORDS = {
    "label": N_("the label is still too full: some text is not on it at all"),
    "auxiliary": N_("auxiliary warnings"),
    "directions": N_("directions"),
    "ingredients": N_("compound ingredients"),
    "drug": N_("drug name"),
    "storage": N_("storage"),
}


def overflow_words(fields, translate=str) -> str:
    """ "directions, auxiliary warnings" from the engine's field keys; ``translate`` puts the
    words in the page's language."""
    return ", ".join(translate(FIELD_WORDS.get(name, name.replace("_", " "))) for name in fields)


# Statuses of a compounding record whose preparation has been made and dated.
DATED_RECORD_STATUSES = ("completed", "approved")


def compound_label_problem(record_id: int | None, status: str, beyond_use_date) -> str | None:
    """Why a compound's label must not print yet, in words; None once it may.

    The beyond-use date on a compound's label is its compounding record's (USP <795>
    section 11), set when the record is completed. Before then there is no date to print,
    and any other date could let a patient use the preparation past its BUD.
    """
    if record_id is None:
        return N_(
            "no compounding record has been started for it. A compound's label prints once "
            "its record is completed, because the beyond-use date comes from the record."
        )
    if status == "rejected":
        return (
            f"compounding record #{record_id} was rejected. The label prints once a new "
            "record is completed, with its own beyond-use date."
        )
    if status not in DATED_RECORD_STATUSES:
        return (
            f"compounding record #{record_id} is not completed yet. The label prints once it "
            "is, because the beyond-use date comes from the record."
        )
    if beyond_use_date is None:
        return f"compounding record #{record_id} has no beyond-use date."
    return None
