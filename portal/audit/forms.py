"""The audit page's filters (a GET form: no CSRF needed, nothing changes)."""

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.audit.models import AuditEvent, distinct_values
from portal.foundation.forms import BoundedIntegerField, choices


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField("Who", validators=[Optional()])
    patient = BoundedIntegerField(
        "Patient id",
        validators=[Optional(), NumberRange(min=1, message="A patient id is a number.")],
    )
    entity = SelectField("Record type", validators=[Optional()])
    action = SelectField("Action", validators=[Optional()])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The staff list comes from the auth area, which stands above the audit trail.
        people = current_app.extensions.get("audit_people", list)()
        self.user.choices = choices([("", "Anyone"), *people])
        self.entity.choices = choices(
            [("", "Any")] + [(e, e.replace("_", " ")) for e in distinct_values(AuditEvent.entity)]
        )
        self.action.choices = choices(
            [("", "Any")] + [(a, a.replace("_", " ")) for a in distinct_values(AuditEvent.action)]
        )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")
