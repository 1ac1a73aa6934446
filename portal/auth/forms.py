"""Sign-in, PIN and staff-account forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.models import ROLES, User
from portal.foundation.forms import BoundedIntegerField, choices
from portal.foundation.i18n import lazy_gettext as _l


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PinForm(FlaskForm):
    """Unlock or switch user: a PIN or a badge scan, nothing else."""

    pin = PasswordField(
        _l("PIN or badge"),
        validators=[
            DataRequired(message=_l("Enter a PIN or scan a badge.")),
            Length(max=64, message=_l("That is longer than any PIN or badge.")),
        ],
    )
    next = HiddenField()


ROLE_LABELS = {
    "technician": _l("Technician"),
    "pharmacist": _l("Pharmacist"),
    "manager": _l("Manager (reports, claims, audit trail)"),
    "admin": _l("Administrator (staff accounts, pharmacy settings)"),
}


class RolesField(SelectMultipleField):
    """Roles as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _roles_field():
    return RolesField(
        _l("Roles"),
        choices=choices((role, ROLE_LABELS[role]) for role in ROLES),
        validators=[DataRequired(message=_l("Choose at least one role."))],
    )


def _pin_field(label=None, required=False):
    return PasswordField(
        label or _l("Quick-switch PIN (4–8 digits)"),
        validators=[
            DataRequired(message=_l("Enter the new PIN.")) if required else Optional(),
            Regexp(r"^[0-9]{4,8}$", message=_l("A PIN is 4 to 8 digits.")),
        ],
    )


def _password_field(label=None, required=True):
    return PasswordField(
        label or _l("Password"),
        validators=[
            DataRequired() if required else Optional(),
            Length(min=12, max=200, message=_l("Use 12 to 200 characters.")),
        ],
    )


class ProfileForm(FlaskForm):
    # As long as the columns hold; portal.auth.accounts refuses longer names too, in words
    # that name the field, for `flask user create`.
    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(),
            Length(max=User.full_name.max_length, message=_l("At most 120 characters.")),
        ],
    )
    last_name = StringField(
        _l("Last name"),
        validators=[
            Optional(),
            Length(max=User.last_name.max_length, message=_l("At most 80 characters.")),
        ],
    )
    first_name = StringField(
        _l("First name"),
        validators=[
            Optional(),
            Length(max=User.first_name.max_length, message=_l("At most 80 characters.")),
        ],
    )
    initials = StringField(
        _l("Initials"), validators=[Optional(), Length(max=5, message=_l("At most 5 letters."))]
    )
    roles = _roles_field()


class NewStaffForm(ProfileForm):
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
    password = _password_field()
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
    pin = _pin_field()


class PinResetForm(FlaskForm):
    pin = _pin_field(_l("New PIN (4–8 digits)"), required=True)
    confirm_pin = PasswordField(
        _l("New PIN again"),
        validators=[DataRequired(), EqualTo("pin", message=_l("The two PINs differ."))],
    )


class BadgeForm(FlaskForm):
    badge = PasswordField(
        _l("Badge code"),
        validators=[
            DataRequired(message=_l("Scan the badge into this field.")),
            Length(min=4, max=64, message=_l("A badge code is 4 to 64 characters.")),
        ],
    )


class PasswordResetForm(FlaskForm):
    password = _password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


def _current_password_field():
    return PasswordField(
        _l("Your current password"),
        validators=[DataRequired(message=_l("Enter your current password.")), Length(max=200)],
    )


class OwnPinForm(PinResetForm):
    """Changing one's own PIN. The password proves it is the person, not whoever used
    the shared terminal last."""

    current_password = _current_password_field()


class OwnPasswordForm(PasswordResetForm):
    current_password = _current_password_field()


class SecuritySettingsForm(FlaskForm):
    idle_lock_minutes = BoundedIntegerField(
        _l("Lock an idle terminal after (minutes)"),
        validators=[InputRequired(), NumberRange(min=1, max=60, message=_l("1 to 60 minutes."))],
    )
    pin_max_failures = BoundedIntegerField(
        _l("Wrong PINs or passwords before locking"),
        validators=[InputRequired(), NumberRange(min=3, max=10, message=_l("3 to 10 tries."))],
    )
    pin_lock_minutes = BoundedIntegerField(
        _l("Lock for (minutes)"),
        validators=[InputRequired(), NumberRange(min=1, max=240, message=_l("1 to 240 minutes."))],
    )
