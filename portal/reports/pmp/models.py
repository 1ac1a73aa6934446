"""PMP submissions and the records each carried, so a later change to a dispensing is sent
as a revision and a reversal as a void (ASAP DSP01 "01" and "02")."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal.auth.models import User
from portal.foundation.dates import utcnow
from portal.foundation.db import BaseModel


class PmpSubmission(BaseModel):
    """One ASAP file: its period, how many records, its hash and what became of it."""

    period_start = DateField()
    period_end = DateField()
    control_number = CharField(max_length=12)
    record_count = IntegerField()  # dispensing records (0: a zero report)
    sha256 = CharField(max_length=64)
    stored_name = CharField(max_length=80, unique=True)  # in the instance folder's pmp/
    result = CharField(max_length=12, default="created")  # created | uploaded | failed
    message = TextField(default="")
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "pmp_submission"
        indexes = ((("period_end", "id"), False),)


class PmpRecord(BaseModel):
    """A dispensing as sent in a submission (the values, for a later revise or void)."""

    submission = ForeignKeyField(PmpSubmission, backref="records", on_delete="CASCADE")
    fill_id = IntegerField(index=True)  # a plain id: the fill may change or be cancelled
    reporting_status = CharField(max_length=2)  # asap.NEW | REVISE | VOID
    digest = CharField(max_length=64)  # of the values sent: a change means a revision
    sent = TextField()  # JSON of the PmpDispensing sent

    class Meta:
        table_name = "pmp_record"


class PmpRevisionDue(BaseModel):
    """A dispensing already reported whose patient or prescriber was edited since, or whose
    checking pharmacist's name was corrected: the next daily file re-sends it as a revision
    (DSP01 "01") when a field ASAP carries changed."""

    fill_id = IntegerField(index=True)  # a plain id, as PmpRecord's
    # "patient edited" | "prescriber edited" | "pharmacist name corrected"
    reason = CharField(max_length=40)
    fields = TextField(default="")  # the ASAP fields that changed, as sent: "patient_city ..."
    queued_by = ForeignKeyField(User, null=True, backref="+", on_delete="RESTRICT")
    queued_at = DateTimeField(default=utcnow)
    # The file that carried it; None while it waits for the next one.
    submission = ForeignKeyField(PmpSubmission, null=True, backref="+", on_delete="CASCADE")

    class Meta:
        table_name = "pmp_revision_due"
        indexes = ((("submission", "fill_id"), False),)
