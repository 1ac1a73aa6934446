"""Patient, allergy, coverage and payer forms: a message per field, nothing saved when wrong."""

import re

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.foundation.dates import today as pharmacy_today
from portal.foundation.forms import choices, word_choices
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.states import US_STATES
from portal.patients import rules
from portal.patients.fields import DateText, plain_text, strip, us_phone
from portal.patients.models import Payer

STRIP = (strip,)


def _text(label, max_length, required=False, message=None, **kwargs):
    """A trimmed text field with a length limit (the column's) and no control characters."""
    first = DataRequired(message=message or _l("Fill this in.")) if required else Optional()
    too_long = _l("At most %(count)s characters.", count=max_length)
    return StringField(
        label,
        validators=[first, Length(max=max_length, message=too_long), plain_text],
        filters=STRIP,
        **kwargs,
    )


class PatientForm(FlaskForm):
    last_name = _text(_l("Last name"), 80, required=True, message=_l("Enter the last name."))
    first_name = _text(_l("First name"), 80, required=True, message=_l("Enter the first name."))
    middle_name = _text(_l("Middle name"), 80)
    date_of_birth = DateText(
        _l("Date of birth (MM/DD/YYYY)"),
        validators=[DataRequired(message=_l("Enter the date of birth, e.g. 01/02/1960."))],
        two_digit_years=True,
    )
    sex = SelectField(_l("Sex"), choices=word_choices(rules.SEXES), default="U")
    phone = StringField(_l("Phone"), validators=[Length(max=20), us_phone], filters=STRIP)
    alt_phone = StringField(_l("Other phone"), validators=[Length(max=20), us_phone], filters=STRIP)
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Length(max=120, message=_l("At most 120 characters.")),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an address like name@example.com.")
            ),
            plain_text,
        ],
        filters=STRIP,
    )
    address_line1 = _text(_l("Street address"), 120)
    address_line2 = _text(_l("Apartment / unit"), 120)
    city = _text(_l("City"), 80)
    state = SelectField(_l("State"), choices=choices([("", "—")] + [(s, s) for s in US_STATES]))
    postal_code = StringField(
        _l("ZIP code"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message=_l("ZIP is 5 digits or ZIP+4.")),
        ],
        filters=STRIP,
    )
    preferred_language = _text(_l("Preferred language"), 40, default="English")
    notes = TextAreaField(
        _l("Notes"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("At most 2000 characters.")),
            plain_text,
        ],
        filters=STRIP,
    )
    confirm_different = BooleanField(_l("This is a different person — save anyway"))

    def validate_date_of_birth(self, field):
        born = field.date
        if born is None:
            return
        if born > pharmacy_today():
            raise ValidationError(_("The date of birth is in the future."))
        if born.year < 1900:
            raise ValidationError(_("Check the year: before 1900."))

    def values(self) -> dict:
        """The patient's columns from the form."""
        names = (
            "last_name",
            "first_name",
            "middle_name",
            "sex",
            "phone",
            "alt_phone",
            "email",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "preferred_language",
            "notes",
        )
        data = {name: getattr(self, name).data or "" for name in names}
        data["phone"] = rules.format_phone(data["phone"])
        data["alt_phone"] = rules.format_phone(data["alt_phone"])
        data["date_of_birth"] = self.date_of_birth.date
        return data


class AllergyForm(FlaskForm):
    allergen = _text(
        _l("Allergic to"), 120, required=True, message=_l("Name the drug, class or substance.")
    )
    kind = RadioField(
        _l("This is"),
        choices=word_choices(rules.ALLERGEN_KINDS),
        default="class",
        validators=[DataRequired(message=_l("Say whether it is a class, an ingredient or other."))],
    )
    reaction = _text(_l("Reaction"), 200)
    severity = SelectField(
        _l("Severity"), choices=word_choices(rules.SEVERITIES), default="unknown"
    )


class AllergyStatusForm(FlaskForm):
    """Record "no known drug allergies" or "not asked" (no allergy rows may exist for NKDA)."""

    status = SelectField(
        _l("Allergy status"),
        choices=word_choices(
            [(v, lbl) for v, lbl in rules.ALLERGY_STATUSES if v != "has_allergies"]
        ),
    )


class RemoveAllergyForm(FlaskForm):
    """Removing an allergy; for the last one, the status to record instead."""

    status_after = RadioField(
        _l("With this allergy removed, the patient has"),
        choices=choices(
            [
                ("nkda", _l("No known drug allergies (the patient confirmed)")),
                ("not_asked", _l("Allergies unknown — not asked")),
            ]
        ),
        validators=[Optional()],
    )


class CoverageForm(FlaskForm):
    payer = SelectField(
        _l("Payer"), coerce=str, validators=[DataRequired(message=_l("Choose the payer."))]
    )
    bin = StringField(
        _l("BIN"),
        validators=[Optional(), Regexp(r"^[0-9]{6}$", message=_l("A BIN is 6 digits."))],
        filters=STRIP,
    )
    pcn = StringField(
        _l("PCN"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9-]{1,10}$", message=_l("A PCN is up to 10 letters or digits.")),
        ],
        filters=STRIP,
    )
    group_number = StringField(
        _l("Group"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9 -]{1,15}$", message=_l("A group is up to 15 letters or digits.")),
        ],
        filters=STRIP,
    )
    member_id = StringField(
        _l("Member (cardholder) ID"),
        validators=[
            DataRequired(message=_l("Enter the member ID from the card.")),
            Regexp(
                r"^[A-Za-z0-9-]{1,20}$",
                message=_l("A member ID is up to 20 letters or digits (no spaces)."),
            ),
        ],
        filters=STRIP,
    )
    person_code = StringField(
        _l("Person code"),
        validators=[
            Optional(),
            Regexp(r"^[0-9]{1,3}$", message=_l("A person code is up to 3 digits, e.g. 01.")),
        ],
        filters=STRIP,
    )
    relationship = SelectField(
        _l("Relationship to cardholder"), choices=word_choices(rules.RELATIONSHIPS), default="1"
    )
    effective_date = DateText(_l("Effective from"))
    termination_date = DateText(_l("Ends on"))
    rank = SelectField(_l("Bill as"), choices=word_choices(rules.COVERAGE_RANKS), default="primary")
    active = BooleanField(_l("In use"), default=True)

    def __init__(self, *args, current_payer=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = list(Payer.choosable())
        if current_payer is not None and current_payer.id not in {p.id for p in rows}:
            rows.append(current_payer)  # a retired payer stays on the coverages that use it
        payers = [(str(p.id), f"{p.name} (BIN {p.bin})") for p in rows]
        self.payer.choices = choices([("", _("— choose —"))] + payers)

    def validate_payer(self, field):
        if field.data and self.chosen_payer() is None:
            raise ValidationError(_("Choose a payer from the list."))

    def validate_termination_date(self, field):
        start, end = self.effective_date.date, field.date
        if start and end and end < start:
            raise ValidationError(_("The coverage ends before it starts."))

    def chosen_payer(self) -> Payer | None:
        if not re.fullmatch(r"[0-9]{1,9}", self.payer.data or ""):
            return None
        return Payer.get_or_none(Payer.id == int(self.payer.data))

    def values(self) -> dict:
        """The coverage's columns; a blank BIN or PCN takes the payer's."""
        payer = self.chosen_payer()
        return {
            "payer": payer,
            "bin": self.bin.data or payer.bin,
            "pcn": (self.pcn.data or payer.pcn).upper(),
            "group_number": (self.group_number.data or "").upper(),
            "member_id": self.member_id.data.upper(),
            "person_code": self.person_code.data or "",
            "relationship": self.relationship.data,
            "effective_date": self.effective_date.date,
            "termination_date": self.termination_date.date,
            "rank": self.rank.data,
            "active": bool(self.active.data),
        }


class PayerForm(FlaskForm):
    name = _text(
        _l("Plan or payer name"), 120, required=True, message=_l("Enter the payer's name.")
    )
    code = StringField(
        _l("Short code"),
        validators=[
            DataRequired(message=_l("Enter a short code, e.g. MEDRX.")),
            Regexp(r"^[A-Za-z0-9]{2,12}$", message=_l("2–12 letters or digits, no spaces.")),
        ],
        filters=STRIP,
    )
    bin = StringField(
        _l("BIN"),
        validators=[
            DataRequired(message=_l("Enter the 6-digit BIN.")),
            Regexp(r"^[0-9]{6}$", message=_l("A BIN is 6 digits.")),
        ],
        filters=STRIP,
    )
    pcn = StringField(
        _l("PCN"),
        validators=[
            Optional(),
            Regexp(r"^[A-Za-z0-9-]{1,10}$", message=_l("A PCN is up to 10 letters or digits.")),
        ],
        filters=STRIP,
    )
    processor = _text(_l("Processor"), 120)
    phone = StringField(_l("Help desk phone"), validators=[Length(max=20), us_phone], filters=STRIP)
    active = BooleanField(_l("Offered for new coverages"), default=True)

    def __init__(self, *args, payer_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._payer_id = payer_id

    def validate_code(self, field):
        if field.errors:  # not a well-formed code: nothing to look up
            return
        code = (field.data or "").upper()
        query = Payer.select().where(Payer.code == code)
        if self._payer_id is not None:
            query = query.where(Payer.id != self._payer_id)
        if query.exists():
            raise ValidationError(_("Another payer already uses the code %(code)s.", code=code))

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "code": self.code.data.upper(),
            "bin": self.bin.data,
            "pcn": (self.pcn.data or "").upper(),
            "processor": self.processor.data or "",
            "phone": rules.format_phone(self.phone.data),
            "active": bool(self.active.data),
        }


class OtherMedicationForm(FlaskForm):
    """A medication the patient takes from elsewhere, screened like an active fill."""

    name = _text(
        _l("Medication"),
        120,
        required=True,
        message=_l("Name the medication (its generic name screens best)."),
    )
    note = _text(_l("Where from, dose, since when"), 200)


class RemoveOtherMedicationForm(FlaskForm):
    """The patient no longer takes it (CSRF only)."""
