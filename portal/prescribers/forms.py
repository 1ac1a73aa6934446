"""The prescriber form: every identifier checked, the exact problem said per field."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.foundation.forms import (
    choices,
    format_us_phone,
    plain_text,
    strip,
    us_phone,
    word_choices,
)
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.identifiers import dea_problem, npi_problem
from portal.foundation.states import US_STATES
from portal.prescribers.models import CREDENTIALS, DEA_SCHEDULES, Prescriber, normalize_schedules

STATE_CHOICES = choices([("", "—")] + [(s, s) for s in US_STATES])


def _text(label, max_length, required=False, message=None, **kwargs):
    """A trimmed text field with the column's length limit and no control characters."""
    first = DataRequired(message=message or _l("Fill this in.")) if required else Optional()
    return StringField(
        label,
        validators=[
            first,
            Length(max=max_length, message=_l("At most %(count)s characters.", count=max_length)),
            plain_text,
        ],
        filters=(strip,),
        **kwargs,
    )


def _sentence(problem: str) -> str:
    """A rules problem ("check digit should be 3, not 0; ...") as a sentence for the form, in
    the staff language where the rule's words are a constant (marked N_ there)."""
    problem = _(problem)
    return problem[:1].upper() + problem[1:] + "."


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PrescriberForm(FlaskForm):
    first_name = _text(_l("First name"), 80, required=True, message=_l("Enter the first name."))
    middle_name = _text(_l("Middle name"), 80)
    last_name = _text(_l("Last name"), 80, required=True, message=_l("Enter the last name."))
    credentials = SelectField(
        _l("Credentials"), choices=choices([("", "—")] + [(c, c) for c in CREDENTIALS])
    )
    practice_name = _text(_l("Practice or clinic"), 120)
    npi = StringField(
        _l("NPI"),
        validators=[DataRequired(message=_l("Enter the prescriber's 10-digit NPI."))],
        filters=(strip,),
    )
    dea = StringField(_l("DEA number"), filters=(strip,))
    dea_schedules = CheckboxesField(
        _l("Schedules the DEA registration covers"),
        choices=word_choices(DEA_SCHEDULES),
        default=[code for code, _ in DEA_SCHEDULES],
    )
    license_number = _text(_l("State license number"), 30)
    license_state = SelectField(_l("License state"), choices=STATE_CHOICES)
    phone = StringField(_l("Phone"), validators=[Length(max=20), us_phone], filters=(strip,))
    fax = StringField(_l("Fax"), validators=[Length(max=20), us_phone], filters=(strip,))
    address_line1 = _text(_l("Street address"), 120)
    address_line2 = _text(_l("Suite / unit"), 120)
    city = _text(_l("City"), 80)
    state = SelectField(_l("State"), choices=STATE_CHOICES)
    postal_code = StringField(
        _l("ZIP code"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message=_l("ZIP is 5 digits or ZIP+4.")),
        ],
        filters=(strip,),
    )
    active = BooleanField(_l("Active (can be chosen on new prescriptions)"), default=True)

    def __init__(self, *args, prescriber: Prescriber | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.prescriber = prescriber
        if prescriber is not None and not self.is_submitted():
            self.dea_schedules.data = sorted(prescriber.dea_schedule_set)
            self.dea.data = prescriber.dea or ""

    def _others(self):
        query = Prescriber.select()
        if self.prescriber is not None:
            query = query.where(Prescriber.id != self.prescriber.id)
        return query

    def validate_npi(self, field):
        if problem := npi_problem(field.data or ""):
            raise ValidationError(_sentence(problem))
        other = self._others().where(Prescriber.npi == field.data).first()
        if other is not None:
            raise ValidationError(
                _(
                    "NPI %(npi)s is already on file for %(name)s.",
                    npi=field.data,
                    name=other.display_name,
                )
            )

    def validate_dea(self, field):
        dea = (field.data or "").upper()
        field.data = dea
        if not dea:
            return
        if problem := dea_problem(dea, self.last_name.data or None):
            raise ValidationError(_sentence(problem))
        other = self._others().where(Prescriber.dea == dea).first()
        if other is not None:
            raise ValidationError(
                _(
                    "DEA number %(dea)s is already on file for %(name)s.",
                    dea=dea,
                    name=other.display_name,
                )
            )

    def validate_dea_schedules(self, field):
        if (self.dea.data or "").strip() and not field.data:
            raise ValidationError(_("Tick the schedules printed on the DEA registration."))

    def values(self) -> dict:
        """The prescriber's columns from the form."""
        names = [
            "first_name",
            "middle_name",
            "last_name",
            "credentials",
            "practice_name",
            "npi",
            "license_number",
            "license_state",
            "phone",
            "fax",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
        ]
        data = {name: (getattr(self, name).data or "") for name in names}
        data["phone"] = format_us_phone(data["phone"])
        data["fax"] = format_us_phone(data["fax"])
        data["dea"] = (self.dea.data or "").strip().upper() or None
        data["dea_schedules"] = (
            normalize_schedules(self.dea_schedules.data or []) if data["dea"] else ""
        )
        # New prescribers are active; the box is shown only when editing.
        data["active"] = bool(self.active.data) if self.prescriber is not None else True
        return data
