"""Pharmacy details and first-run setup."""

from functools import cache
from zoneinfo import available_timezones

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from portal.auth.password_policy import MIN_LENGTH, password_problem
from portal.foundation.forms import choices
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.identifiers import dea_problem, npi_problem
from portal.foundation.states import US_STATES


@cache
def us_zones() -> list:
    """The US time zones, as choices: read from the zone files on first use, not at start
    (listing them walks the whole time zone database)."""
    zones = (z for z in available_timezones() if z.startswith(("America/", "Pacific/Honolulu")))
    return choices((z, z) for z in sorted(zones))


PHONE = Regexp(r"^[0-9\s().+-]{10,20}$", message=_l("Enter a phone number with area code."))


def _sentence(problem: str) -> str:
    """A number's problem from the identifier rules, as a sentence in the staff language."""
    problem = _(problem)
    return problem[:1].upper() + problem[1:] + "."


class PharmacyForm(FlaskForm):
    name = StringField(_l("Pharmacy name"), validators=[DataRequired(), Length(max=120)])
    address_line1 = StringField(_l("Street address"), validators=[DataRequired(), Length(max=120)])
    address_line2 = StringField(_l("Suite / unit"), validators=[Optional(), Length(max=120)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=80)])
    state = SelectField(
        _l("State"),
        choices=choices([("", "—")] + [(s, s) for s in US_STATES]),
        validators=[DataRequired(message=_l("Choose the state."))],
    )
    postal_code = StringField(
        _l("ZIP code"),
        validators=[
            DataRequired(),
            Regexp(r"^[0-9]{5}(-[0-9]{4})?$", message=_l("ZIP is 5 digits or ZIP+4.")),
        ],
    )
    phone = StringField(_l("Phone"), validators=[DataRequired(), PHONE])
    fax = StringField(_l("Fax"), validators=[Optional(), PHONE])
    npi = StringField(_l("Pharmacy NPI"), validators=[DataRequired()])
    ncpdp_id = StringField(
        _l("NCPDP ID"),
        validators=[
            DataRequired(),
            Regexp(r"^[0-9]{7}$", message=_l("The NCPDP provider id is 7 digits.")),
        ],
    )
    dea = StringField(_l("Pharmacy DEA number"), validators=[Optional(), Length(max=9)])
    time_zone = SelectField(_l("Time zone"), choices=us_zones, default="America/New_York")

    def validate_npi(self, field):
        if problem := npi_problem(field.data or ""):
            raise ValidationError(_sentence(problem))

    def validate_dea(self, field):
        field.data = (field.data or "").strip().upper()
        if not field.data:
            return
        # No second-letter check: the registrant's name on the DEA certificate is often the
        # owning company's, not the name over the door.
        if problem := dea_problem(field.data):
            raise ValidationError(_sentence(problem))


class AdminAccountForm(FlaskForm):
    full_name = StringField(_l("Your full name"), validators=[DataRequired(), Length(max=120)])
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Regexp(
                r"^[A-Za-z0-9._-]{2,40}$",
                message=_l("2–40 letters, digits, dots, dashes or underscores."),
            ),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(),
            Length(min=12, max=200, message=_l("Use 12 to 200 characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    pin = PasswordField(
        _l("Quick-switch PIN (4–8 digits)"),
        validators=[Optional(), Regexp(r"^[0-9]{4,8}$", message=_l("A PIN is 4 to 8 digits."))],
    )
    is_pharmacist = BooleanField(_l("I am a pharmacist"), default=True)

    def validate_password(self, field):
        # The same rule as every other account (NIST SP 800-63B 5.1.1.2).
        names = (self.username.data, self.full_name.data)
        if len(field.data or "") < MIN_LENGTH:
            return  # the length's own message says it
        if problem := password_problem(field.data, names):
            raise ValidationError(problem)


class SetupForm(PharmacyForm, AdminAccountForm):
    """First run: the pharmacy and its first administrator in one form."""
