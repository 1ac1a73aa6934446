"""Knowledge base forms: a message per field, nothing saved while one is wrong."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from portal.catalog.fields import text_field
from portal.catalog.knowledge import rules
from portal.foundation.forms import choices, plain_text, strip
from portal.foundation.i18n import lazy_gettext as _l

SOURCE_HINT = _l("e.g. FDA EPC, a reference, or the licensed file it came from")


def _source():
    return text_field(
        _l("Source"), 250, required=True, message=_l("Name the source. %(hint)s", hint=SOURCE_HINT)
    )


class ClassForm(FlaskForm):
    name = text_field(_l("Class name"), 120, required=True, message=_l("Give the class a name."))
    kind = SelectField(
        _l("Kind"),
        choices=choices([("drug", _l("Drug class")), ("excipient", _l("Excipient class"))]),
    )
    allergy_reaches_class = BooleanField(
        _l("An allergy to one member covers the whole class"), default=True
    )
    duplication = BooleanField(_l("Two active members are duplicate therapy"))
    members = TextAreaField(
        _l("Members"),
        validators=[
            Optional(),
            Length(max=20000, message=_l("At most 20000 characters.")),
            plain_text,
        ],
        filters=(strip,),
    )
    warn_members = TextAreaField(
        _l("Members usually tolerated by patients allergic to the class (warn, not block)"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("At most 2000 characters.")),
            plain_text,
        ],
        filters=(strip,),
    )
    source = _source()

    def member_names(self) -> list[str]:
        return _lines(self.members.data)

    def warn_names(self) -> list[str]:
        return _lines(self.warn_members.data)


class InteractionForm(FlaskForm):
    drug_a = text_field(
        _l("Drug, ingredient or class"), 120, required=True, message=_l("Name one side.")
    )
    drug_b = text_field(_l("With"), 120, required=True, message=_l("Name the other side."))
    severity = SelectField(
        _l("Severity"), choices=choices([(s, s.capitalize()) for s in rules.SEVERITIES])
    )
    effect = text_field(_l("Effect, in words"), 500, required=True, message=_l("Say what happens."))
    management = text_field(_l("Management"), 500)
    source = _source()


class CrossForm(FlaskForm):
    allergen = text_field(
        _l("Allergy to (drug or class)"), 120, required=True, message=_l("Name the allergen.")
    )
    drug = text_field(
        _l("Risk with (drug or class)"), 120, required=True, message=_l("Name the drug.")
    )
    level = SelectField(
        _l("Alert"),
        choices=choices([("warn", _l("Warning (acknowledged)")), ("info", _l("For information"))]),
    )
    reason = text_field(_l("Why, in words"), 500, required=True, message=_l("Say why."))
    source = _source()


class KnowledgeImportForm(FlaskForm):
    file = FileField(_l("CSV file (classes, interactions or cross-sensitivity)"))


def _lines(text: str | None) -> list[str]:
    seen: dict[str, str] = {}
    for line in (text or "").replace(",", "\n").splitlines():
        name = " ".join(line.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())
