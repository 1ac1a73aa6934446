"""Claim forms: the payer's response, follow-up, notes, prior authorization, 835 upload."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.claims.claims.actions import RESPONSE_OUTCOMES, over_billed_words
from portal.claims.claims.daw import DAW_CODES
from portal.claims.claims.reject_codes import RejectCodeError, parse_reject_codes
from portal.claims.claims.rules import over_billed
from portal.claims.prior_auth.models import PA_STATUSES
from portal.foundation.forms import BoundedIntegerField, choices, word_choices
from portal.foundation.i18n import lazy_gettext as _l
from portal.foundation.money import MoneyError, parse_money
from portal.prescriptions.intake.forms import Quantity

_AUTO = object()  # rebill_form: read the request's form data, as FlaskForm does


class MoneyInput(StringField):
    """An amount typed as 12.50 or $1,234.56; .data is a Decimal (None when left empty)."""

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else ""
        self.data = None
        self.parse_error = ""
        if self.raw_text.strip():
            try:
                self.data = parse_money(self.raw_text)
            except MoneyError as error:
                self.parse_error = str(error)

    def pre_validate(self, form):
        if getattr(self, "parse_error", ""):
            raise ValidationError(self.parse_error)

    def _value(self):
        if getattr(self, "raw_text", None) is not None:
            return self.raw_text
        return "" if self.data is None else str(self.data)


class ResponseForm(FlaskForm):
    outcome = RadioField(
        _l("The payer's answer"),
        choices=word_choices(RESPONSE_OUTCOMES),
        validators=[InputRequired()],
    )
    allowed = MoneyInput(_l("Allowed amount"), validators=[Optional()])
    paid = MoneyInput(_l("Plan paid"))
    patient_pay = MoneyInput(_l("Patient pays"), validators=[Optional()])
    reject_codes = StringField(_l("Reject codes"), validators=[Length(max=100)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    over_billed_reason = TextAreaField(
        _l("Why the payment is more than billed"), validators=[Optional(), Length(max=500)]
    )
    billed = None  # the claim's amount billed, set by the view

    def validate_over_billed_reason(self, field):
        if self.billed is None or self.outcome.data not in ("paid", "partially_paid"):
            return
        paid, patient_pay = self.paid.data or 0, self.patient_pay.data or 0
        if over_billed(self.billed, paid, patient_pay) and not (field.data or "").strip():
            raise ValidationError(over_billed_words(self.billed, paid, patient_pay))

    def validate_reject_codes(self, field):
        try:
            self.parsed_codes = parse_reject_codes(field.data or "")
        except RejectCodeError as error:
            raise ValidationError(str(error)) from None
        if self.outcome.data == "rejected" and not self.parsed_codes:
            raise ValidationError(_("Type the reject codes from the payer's response, like 75."))
        if self.outcome.data != "rejected" and self.parsed_codes:
            raise ValidationError(
                _("Reject codes go with a rejection; clear them or choose Rejected.")
            )

    def validate_paid(self, field):
        if self.outcome.data in ("paid", "partially_paid") and field.data is None:
            raise ValidationError(_("Type what the plan paid (0.00 if nothing)."))


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Note"), validators=[DataRequired(_l("Write the note first.")), Length(max=2000)]
    )


class ReasonForm(FlaskForm):
    """Resubmit, appeal, write off: a reason that goes in the history."""

    reason = TextAreaField(
        _l("What was done, and why"),
        validators=[DataRequired(_l("Say what was done.")), Length(max=2000)],
    )


class ResubmitForm(ReasonForm):
    """Corrected and resubmitted; a compound may go back with Submission Clarification Code 8."""

    covered_ingredients_only = BooleanField(
        _l(
            "Resubmit with Submission Clarification Code 8: the plan pays for the covered "
            "ingredients only"
        )
    )


class PatientBillForm(FlaskForm):
    """Billing the balance to the patient: what was agreed, if anything, for the history."""

    bill_note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])


class FollowUpForm(FlaskForm):
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])
    assigned_to = SelectField(_l("Assigned to"), validators=[Optional()])


class SecondaryForm(FlaskForm):
    coverage = SelectField(_l("Bill the balance to"), validators=[InputRequired()])


class PriorAuthForm(FlaskForm):
    requested_on = DateField(
        _l("Requested on"), validators=[InputRequired(_l("Give the date asked."))]
    )
    prescriber_contacted = StringField(
        _l("Prescriber contacted (who, and how)"),
        validators=[
            DataRequired(_l("Say who at the prescriber's office, and how.")),
            Length(max=200),
        ],
    )
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class PriorAuthUpdateForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=word_choices(PA_STATUSES), validators=[InputRequired()]
    )
    pa_number = StringField(_l("PA number"), validators=[Length(max=40)])
    approved_on = DateField(_l("Approved on"), validators=[Optional()])
    expires_on = DateField(_l("Expires on"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def validate_pa_number(self, field):
        if self.status.data == "approved" and not (field.data or "").strip():
            raise ValidationError(_("An approval comes with a PA number; type it from the plan."))

    def validate_expires_on(self, field):
        if field.data and self.approved_on.data and field.data < self.approved_on.data:
            raise ValidationError(_("The PA cannot expire before it was approved."))


class UploadForm(FlaskForm):
    file = FileField(
        _l("835 remittance file"), validators=[FileRequired(_l("Choose the 835 file."))]
    )


class ConfirmImportForm(FlaskForm):
    text = HiddenField(validators=[DataRequired()])
    file_name = HiddenField()


class MatchForm(FlaskForm):
    """Post a waiting 835 line to a claim: one of its candidates, or one found by reference."""

    candidate = RadioField(_l("Candidate claims"), choices=[], validators=[Optional()])
    claim_reference = StringField(
        _l("Or another claim's reference"), validators=[Optional(), Length(max=38)]
    )
    reason = TextAreaField(
        _l("Reason (needed when a check doubts the posting)"),
        validators=[Optional(), Length(max=500)],
    )

    def validate_claim_reference(self, field):
        if not (field.data or "").strip() and not self.candidate.data:
            raise ValidationError(
                _("Choose one of the candidate claims or type a claim reference.")
            )


class RebillForm(FlaskForm):
    """NCPDP B3: the corrected claim's quantity, days supply, DAW and amounts, and why. The
    amounts start as the paid claim's; a compound bills a compounding fee and its lines'
    ingredient cost, any other claim an ingredient cost (rebill_form drops the other)."""

    quantity = Quantity(_l("Quantity"))
    days_supply = BoundedIntegerField(
        _l("Days supply"),
        validators=[
            InputRequired(_l("Type the days supply.")),
            NumberRange(min=1, max=365, message=_l("Between 1 and 365 days.")),
        ],
    )
    daw = SelectField(
        _l("DAW code"),
        choices=choices(
            (code, _l("%(code)s - %(meaning)s", code=code, meaning=_l(words)))
            for code, words in DAW_CODES.items()
        ),
    )
    ingredient_cost = MoneyInput(_l("Ingredient cost"))
    dispensing_fee = MoneyInput(_l("Dispensing fee"))
    compounding_fee = MoneyInput(_l("Compounding fee"))
    reason = TextAreaField(
        _l("What the rebill corrects"),
        validators=[DataRequired(_l("Say what the rebill corrects.")), Length(max=2000)],
    )

    def validate_quantity(self, field):
        if field.value is None:
            raise ValidationError(_("Type the quantity dispensed, e.g. 30."))

    def validate_ingredient_cost(self, field):
        _amount_given(field)

    def validate_dispensing_fee(self, field):
        _amount_given(field)

    def validate_compounding_fee(self, field):
        _amount_given(field)

    def corrections(self) -> dict:
        """The fields actions.rebill takes."""
        names = ("quantity", "days_supply", "daw", "ingredient_cost", "dispensing_fee",
                 "compounding_fee")  # fmt: skip
        values = {name: self[name].data for name in names if name in self}
        values["quantity"] = self.quantity.value
        return values


def rebill_form(claim, formdata=_AUTO) -> RebillForm:
    """The B3 form of a claim: its values to start from, the fields its kind bills."""
    kwargs = {} if formdata is _AUTO else {"formdata": formdata}
    form = RebillForm(
        quantity=claim.quantity,
        days_supply=claim.days_supply,
        daw=claim.daw,
        ingredient_cost=claim.ingredient_cost,
        dispensing_fee=claim.dispensing_fee,
        compounding_fee=claim.compounding_fee,
        **kwargs,
    )
    del form[("ingredient_cost" if claim.is_compound else "compounding_fee")]
    return form


def _amount_given(field) -> None:
    if field.data is None:
        raise ValidationError(_("Type the amount (0.00 if none)."))
