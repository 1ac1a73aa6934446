"""The prescriber form: every identifier checked, the exact problem said per field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal.foundation.forms import choices, format_us_phone, plain_text, strip, us_phone
from portal.foundation.identifiers import dea_problem, npi_problem
from portal.foundation.states import US_STATES
from portal.prescribers.models import CREDENTIALS, DEA_SCHEDULES, Prescriber, normalize_schedules

STATE_CHOICES = choices([("", "—")] + [(s, s) for s in US_STATES])


def _text(label, max_length, required=False, message=None, **kwargs):
    """A trimmed text field with the column's length limit and no control characters."""
    first = DataRequired(message=message or "Fill this in.") if required else Optional()
    return StringField(
        label,
        validators=[
            first,
            Length(max=max_length, message=f"At most {max_length} characters."),
            plain_text,
        ],
        filters=(strip,),
        **kwargs,
    )


def _sentence(problem: str) -> str:
    """A rules problem ("check digit should be 3, not 0; ...") as a sentence for the form."""
    return problem[:1].upper() + problem[1:] + "."


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PrescriberForm(FlaskForm):
    first_name = _text("First name", 80, required=True, message="Enter the first name.")
    middle_name = _text("Middle name", 80)
    last_name = _text("Last name", 80, required=True, message="Enter the last name.")
    credentials = SelectField(
        "Credentials", choices=choices([("", "—")] + [(c, c) for c in CREDENTIALS])
    )
    practice_name = _text("Practice or clinic", 120)
    npi = StringField(
        "NPI",
        validators=[DataRequired(message="Enter the prescriber's 10-digit NPI.")],
        filters=(strip,),
    )
    dea = StringField("DEA number", filters=(strip,))
    dea_schedules = CheckboxesField(
        "Schedules the DEA registration covers",
        choices=choices(DEA_SCHEDULES),
        default=[code for code, _ in DEA_SCHEDULES],
    )
    license_number = _text("State license number", 30)
    license_state = SelectField("License state", choices=STATE_CHOICES)
    phone = StringField("Phone", validators=[Length(max=20), us_phone], filters=(strip,))
    fax = StringField("Fax", validators=[Length(max=20), us_phone], filters=(strip,))
    address_line1 = _text("Street address", 120)
    address_line2 = _text("Suite / unit", 120)
    city = _text("City", 80)
    state = SelectField("State", choices=STATE_CHOICES)
    postal_code = StringField(
        "ZIP code",
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message="ZIP is 5 digits or ZIP+4."),
        ],
        filters=(strip,),
    )
    active = BooleanField("Active (can be chosen on new prescriptions)", default=True)

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
            raise ValidationError(f"NPI {field.data} is already on file for {other.display_name}.")

    def validate_dea(self, field):
        dea = (field.data or "").upper()
        field.data = dea
        if not dea:
            return
        if problem := dea_problem(dea, self.last_name.data or None):
            raise ValidationError(_sentence(problem))
        other = self._others().where(Prescriber.dea == dea).first()
        if other is not None:
            raise ValidationError(f"DEA number {dea} is already on file for {other.display_name}.")

    def validate_dea_schedules(self, field):
        if (self.dea.data or "").strip() and not field.data:
            raise ValidationError("Tick the schedules printed on the DEA registration.")

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
