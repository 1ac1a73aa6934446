"""Knowledge base forms: a message per field, nothing saved while one is wrong."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.catalog.fields import text_field
from portal.catalog.knowledge import rules
from portal.foundation.forms import choices, plain_text, strip

SOURCE_HINT = "e.g. FDA EPC, a reference, or the licensed file it came from"


def _source():
    return text_field("Source", 250, required=True, message="Name the source. " + SOURCE_HINT)


class ClassForm(FlaskForm):
    name = text_field("Class name", 120, required=True, message="Give the class a name.")
    kind = SelectField(
        "Kind", choices=choices([("drug", "Drug class"), ("excipient", "Excipient class")])
    )
    allergy_reaches_class = BooleanField(
        "An allergy to one member covers the whole class", default=True
    )
    duplication = BooleanField("Two active members are duplicate therapy")
    members = TextAreaField(
        "Members",
        validators=[Optional(), Length(max=20000, message="At most 20000 characters."), plain_text],
        filters=(strip,),
    )
    warn_members = TextAreaField(
        "Members usually tolerated by patients allergic to the class (warn, not block)",
        validators=[Optional(), Length(max=2000, message="At most 2000 characters."), plain_text],
        filters=(strip,),
    )
    source = _source()

    def member_names(self) -> list[str]:
        return _lines(self.members.data)

    def warn_names(self) -> list[str]:
        return _lines(self.warn_members.data)


class InteractionForm(FlaskForm):
    drug_a = text_field("Drug, ingredient or class", 120, required=True, message="Name one side.")
    drug_b = text_field("With", 120, required=True, message="Name the other side.")
    severity = SelectField(
        "Severity", choices=choices([(s, s.capitalize()) for s in rules.SEVERITIES])
    )
    effect = text_field("Effect, in words", 500, required=True, message="Say what happens.")
    management = text_field("Management", 500)
    source = _source()


class CrossForm(FlaskForm):
    allergen = text_field(
        "Allergy to (drug or class)", 120, required=True, message="Name the allergen."
    )
    drug = text_field("Risk with (drug or class)", 120, required=True, message="Name the drug.")
    level = SelectField(
        "Alert",
        choices=choices([("warn", "Warning (acknowledged)"), ("info", "For information")]),
    )
    reason = text_field("Why, in words", 500, required=True, message="Say why.")
    source = _source()


class KnowledgeImportForm(FlaskForm):
    file = FileField("CSV file (classes, interactions or cross-sensitivity)")


def _lines(text: str | None) -> list[str]:
    seen: dict[str, str] = {}
    for line in (text or "").replace(",", "\n").splitlines():
        name = " ".join(line.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())
