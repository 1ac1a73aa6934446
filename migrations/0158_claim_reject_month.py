"""Claims dashboard: claim_reject_month, the reject codes counted per month of service, payer
and code (kept in step as rejections are recorded), so the top codes over a year read a few
thousand kept rows rather than every claim_reject row. Filled from the existing rejects."""

from datetime import date

from peewee import *


def up(migrator, db):
    class Payer(Model):
        class Meta:
            database = db
            table_name = "payer"

    class ClaimRejectMonth(Model):
        month = DateField()
        payer = ForeignKeyField(Payer, null=True, on_delete="CASCADE")
        code = CharField(max_length=3)
        times = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "claim_reject_month"
            indexes = ((("month", "payer", "code"), False),)

    db.create_tables([ClaimRejectMonth])
    per_day = db.execute_sql(
        "SELECT date_of_service, payer_id, code, COUNT(id) FROM claim_reject"
        " WHERE date_of_service IS NOT NULL GROUP BY date_of_service, payer_id, code"
    ).fetchall()
    months = {}
    for served, payer_id, code, n in per_day:
        day = served if isinstance(served, date) else date.fromisoformat(str(served)[:10])
        key = (day.replace(day=1), payer_id, code)
        months[key] = months.get(key, 0) + n
    rows = [{"month": m, "payer": p, "code": c, "times": n} for (m, p, c), n in months.items()]
    for start in range(0, len(rows), 500):
        ClaimRejectMonth.insert_many(rows[start : start + 500]).execute()


def down(migrator, db):
    db.execute_sql("DROP TABLE claim_reject_month")
