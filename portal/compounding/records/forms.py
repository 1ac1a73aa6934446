"""Forms of a compounding record: start a batch, lines (lot and measured amount), the
pharmacist's deviation notes, quality-check results, rejection."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.catalog.formulas.models import Formula
from portal.catalog.formulas.rules import BASIS_UNITS, FormulaStatus
from portal.compounding.fields import AmountField, row_id
from portal.foundation.forms import choices, word_choices
from portal.foundation.i18n import lazy_gettext as _l


class BatchForm(FlaskForm):
    formula = SelectField(_l("Master formula"), validate_choice=False)
    quantity = AmountField(
        _l("Quantity to make"), validators=[InputRequired(message=_l("Enter how much to make."))]
    )
    unit = SelectField(_l("Unit"), choices=word_choices(BASIS_UNITS), default="g")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("— choose an approved formula —"))]
        for f in Formula.dispensable():
            basis = f"{f.basis_quantity.normalize():f} {f.basis_unit}"
            options.append(
                (
                    str(f.id),
                    _(
                        "%(title)s (version %(version)s, per %(basis)s)",
                        title=f.title,
                        version=f.version,
                        basis=basis,
                    ),
                )
            )
        self.formula.choices = choices(options)

    def chosen_formula(self):
        number = row_id(self.formula.data)
        if number is None:
            return None
        return Formula.get_or_none(
            (Formula.id == number) & (Formula.status == FormulaStatus.APPROVED)
        )

    def validate_formula(self, field):
        if self.chosen_formula() is None:
            raise ValidationError(_("Choose an approved master formula."))


class LineEntryForm(Form):
    line_id = HiddenField()
    lot = SelectField(_l("Lot"), validate_choice=False)
    measured = AmountField(_l("Measured"), validators=[Optional()])


class LinesForm(FlaskForm):
    lines = FieldList(FormField(LineEntryForm), min_entries=0, max_entries=60)


class NoteEntryForm(Form):
    line_id = HiddenField()
    note = TextAreaField(_l("Pharmacist's note"), validators=[Optional(), Length(max=2000)])


class NotesForm(FlaskForm):
    notes = FieldList(FormField(NoteEntryForm), min_entries=0, max_entries=60)


class QualityEntryForm(Form):
    result_id = HiddenField()
    measured = AmountField(_l("Measured"), validators=[Optional()], allow_zero=True)
    observed = StringField(_l("Observed"), validators=[Optional(), Length(max=300)])
    judged = RadioField(
        _l("Result"),
        choices=choices([("pass", _l("Pass")), ("fail", _l("Fail"))]),
        validators=[Optional()],
        validate_choice=False,
    )


class QualityForm(FlaskForm):
    results = FieldList(FormField(QualityEntryForm), min_entries=0, max_entries=30)


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it rejected?"),
        validators=[DataRequired(message=_l("Say why the record is rejected.")), Length(max=2000)],
    )
