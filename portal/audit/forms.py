"""The audit page's filters (a GET form: no CSRF needed, nothing changes)."""

from flask import current_app
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.audit import names as audit_names
from portal.audit.models import AuditEvent, distinct_values
from portal.foundation.forms import choices
from portal.foundation.i18n import lazy_gettext as _l


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = SelectField(_l("Who"), validators=[Optional()])
    # A name as staff type it ("delgado, ro"); a number is a patient's id (the row links).
    patient = StringField(_l("Patient"), validators=[Optional(), Length(max=80)])
    area = SelectField(_l("Area"), validators=[Optional()])
    entity = SelectField(_l("Record type"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The staff list comes from the auth area, which stands above the audit trail.
        people = current_app.extensions.get("audit_people", list)()
        self.user.choices = choices([("", _("Anyone")), *people])
        self.area.choices = choices([("", _("Any"))] + [(a, _(a)) for a in audit_names.AREAS])
        self.entity.choices = choices(
            [("", _("Any"))]
            + [(e, e.replace("_", " ")) for e in distinct_values(AuditEvent.entity)]
        )
        self.action.choices = choices(
            [("", _("Any"))]
            + [(a, a.replace("_", " ")) for a in distinct_values(AuditEvent.action)]
        )

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date is before the start date."))
