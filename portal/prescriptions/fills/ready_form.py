"""The counter's "is it ready?" lookup form. The patient reads it, in their language: its words
are in the patient catalog (babel.cfg), apart from the staff forms in forms.py."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from portal.foundation.forms import plain_text, strip
from portal.foundation.i18n import lazy_gettext as _l
from portal.patients.fields import DateText

STRIP = (strip,)


class ReadyLookupForm(FlaskForm):
    """The counter's question: is my prescription ready? (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    last_name = StringField(
        _l("Last name"),
        validators=[
            DataRequired(message=_l("Enter the last name.")),
            Length(max=80, message=_l("At most 80 characters.")),
            plain_text,
        ],
        filters=STRIP,
    )
    first_name = StringField(
        _l("First name (optional)"),
        validators=[Optional(), Length(max=80, message=_l("At most 80 characters.")), plain_text],
        filters=STRIP,
    )
    date_of_birth = DateText(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Enter the date of birth, e.g. 01/02/1960."))],
        two_digit_years=True,
    )
