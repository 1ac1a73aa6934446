"""A form for an area's settings, built from their definitions (portal.foundation.settings)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from portal.foundation import settings
from portal.foundation.forms import BoundedIntegerField, choices
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.settings import Definition


def field_name(key: str) -> str:
    return key.replace(".", "__")


def _range_message(definition: Definition) -> str:
    return _l(
        "Between %(minimum)s and %(maximum)s.",
        minimum=definition.minimum,
        maximum=definition.maximum,
    )


def _checked(definition: Definition):
    """A validator running the definition's own check (e.g. the sig codes' lines)."""

    def validate(_form, field):
        problems = definition.check(field.data) if definition.check and field.data else []
        if problems:
            raise ValidationError(" ".join(problems))

    return validate


def _field(definition: Definition):
    label, extra = definition.label, [_checked(definition)]
    description = definition.help
    if definition.kind == "int":
        return BoundedIntegerField(
            label,
            description=description,
            validators=[
                InputRequired(message=_l("Give a whole number.")),
                NumberRange(
                    min=definition.minimum,
                    max=definition.maximum,
                    message=_range_message(definition),
                ),
                *extra,
            ],
        )
    if definition.kind == "bool":
        return BooleanField(label, description=description, validators=extra)
    if definition.kind == "choice":
        return SelectField(
            label, description=description, choices=choices(definition.choices), validators=extra
        )
    if definition.kind == "text":
        return TextAreaField(label, description=description, validators=extra)
    return StringField(label, description=description, validators=extra)


def form_for(area: str) -> FlaskForm:
    """The area's settings as a form, filled with what the pharmacy chose (or the defaults)."""

    class AreaSettingsForm(FlaskForm):
        pass

    definitions = settings.in_area(area)
    for definition in definitions:
        setattr(AreaSettingsForm, field_name(definition.key), _field(definition))
    current = {field_name(d.key): settings.get(d.key) for d in definitions}
    form = AreaSettingsForm(data=current)  # a POST's own values win over these
    form.definitions = definitions
    form.rows = [(d, form[field_name(d.key)]) for d in definitions]  # for the template
    return form


def save(form: FlaskForm) -> None:
    """Store each setting (call inside a write transaction); unchanged ones write nothing."""
    for definition in form.definitions:
        value = form[field_name(definition.key)].data
        if definition.kind in ("str", "text"):
            value = (value or "").strip()
        settings.put(definition.key, value)
