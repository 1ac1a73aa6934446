"""Forms of a compounding record: start a batch, lines (lot and measured amount), the
pharmacist's deviation notes, quality-check results, rejection."""

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
from portal.foundation.forms import choices


class BatchForm(FlaskForm):
    formula = SelectField("Master formula", validate_choice=False)
    quantity = AmountField(
        "Quantity to make", validators=[InputRequired(message="Enter how much to make.")]
    )
    unit = SelectField("Unit", choices=choices(BASIS_UNITS), default="g")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "— choose an approved formula —")]
        for f in Formula.dispensable():
            basis = f"{f.basis_quantity.normalize():f} {f.basis_unit}"
            options.append((str(f.id), f"{f.title} (version {f.version}, per {basis})"))
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
            raise ValidationError("Choose an approved master formula.")


class LineEntryForm(Form):
    line_id = HiddenField()
    lot = SelectField("Lot", validate_choice=False)
    measured = AmountField("Measured", validators=[Optional()])


class LinesForm(FlaskForm):
    lines = FieldList(FormField(LineEntryForm), min_entries=0, max_entries=60)


class NoteEntryForm(Form):
    line_id = HiddenField()
    note = TextAreaField("Pharmacist's note", validators=[Optional(), Length(max=2000)])


class NotesForm(FlaskForm):
    notes = FieldList(FormField(NoteEntryForm), min_entries=0, max_entries=60)


class QualityEntryForm(Form):
    result_id = HiddenField()
    measured = AmountField("Measured", validators=[Optional()], allow_zero=True)
    observed = StringField("Observed", validators=[Optional(), Length(max=300)])
    judged = RadioField(
        "Result",
        choices=choices([("pass", "Pass"), ("fail", "Fail")]),
        validators=[Optional()],
        validate_choice=False,
    )


class QualityForm(FlaskForm):
    results = FieldList(FormField(QualityEntryForm), min_entries=0, max_entries=30)


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Why is it rejected?",
        validators=[DataRequired(message="Say why the record is rejected."), Length(max=2000)],
    )
