"""Kept counts for the work queues and the start page: fills per (status, queue_rank) and
claims per (status, follow-up date, assignee, payer), kept in step by triggers on fill and claim.

The queue tabs, the start page's cards and the claims queue's views counted the big tables
on every request (a COUNT over every open fill or claim: 426 ms for the claims queue's
counts at 200k claims); they now add up a few hundred kept rows, however many fills and
claims there are. A trigger changes the count in the same statement as the write, so every
way a fill or claim is written (a life-cycle move, move_many's bulk update of an 835, a
follow-up date or assignee set on the claim page, a delete) keeps it right, and a rollback
takes the count back with the row.

A claim with no follow-up date is counted under 9999-12-31 and one assigned to nobody under
assignee 0: the count rows need a key with no NULL in it (NULLs never collide in a unique
index, so ON CONFLICT would not find the row), and a far date sorts where "no follow-up"
belongs in every view (never due, never overdue).

On PostgreSQL two transactions changing the same count row would each wait for the other's
claim or fill row in turn; the trigger first takes the audit chain's advisory lock
(portal.foundation.locks.AUDIT_CHAIN, re-entrant within a transaction), which every audited
write takes anyway, so the count rows are only ever changed by its holder. SQLite lets one
writer in at a time.
"""

from peewee import *

NO_FOLLOW_UP = "9999-12-31"
AUDIT_CHAIN = 7401  # portal.foundation.locks.AUDIT_CHAIN

# (kept table, counted table, count column, keys: (kept column, written column, stands for NULL))
KEPT = (
    (
        "fill_count",
        "fill",
        "fills",
        (("status", "status", None), ("queue_rank", "queue_rank", None)),
    ),
    (
        "claim_count",
        "claim",
        "claims",
        (
            ("status", "status", None),
            ("follow_up_on", "follow_up_on", "no date"),
            ("assignee", "assigned_to_id", "0"),
            ("payer", "payer_id", None),
        ),
    ),
)


class _Sql:
    """The statements of one kept table, in one database's words."""

    def __init__(self, db, kept, counted, column, keys):
        self.kept, self.counted, self.column, self.keys = kept, counted, column, keys
        self.no_date = f"'{NO_FOLLOW_UP}'" if _is_sqlite(db) else f"DATE '{NO_FOLLOW_UP}'"
        self.names = ", ".join(name for name, _, _ in keys)
        self.watched = ", ".join(written for _, written, _ in keys)

    def key(self, row: str) -> list[str]:
        found = []
        for _, written, null in self.keys:
            value = f"{row}.{written}"
            if null is not None:
                value = f"COALESCE({value}, {self.no_date if null == 'no date' else null})"
            found.append(value)
        return found

    def add(self) -> str:
        kept, column = self.kept, self.column
        return (
            f"INSERT INTO {kept} ({self.names}, {column}) VALUES ({', '.join(self.key('NEW'))}, 1)"
            f" ON CONFLICT ({self.names}) DO UPDATE SET {column} = {kept}.{column} + 1;"
        )

    def remove(self) -> str:
        match = " AND ".join(
            f"{name} = {value}"
            for (name, _, _), value in zip(self.keys, self.key("OLD"), strict=True)
        )
        return f"UPDATE {self.kept} SET {self.column} = {self.column} - 1 WHERE {match};"

    def changed(self, differs: str) -> str:
        return " OR ".join(
            f"{old} {differs} {new}"
            for old, new in zip(self.key("OLD"), self.key("NEW"), strict=True)
        )

    def backfill(self) -> str:
        key = ", ".join(self.key(self.counted))
        return (
            f"INSERT INTO {self.kept} ({self.names}, {self.column})"
            f" SELECT {key}, COUNT(*) FROM {self.counted} GROUP BY {key}"
        )


def _tables(db):
    class FillCount(Model):
        status = CharField(max_length=16)
        queue_rank = SmallIntegerField()
        fills = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "fill_count"
            indexes = ((("status", "queue_rank"), True),)

    class ClaimCount(Model):
        status = CharField(max_length=16)
        follow_up_on = DateField()
        assignee = IntegerField()
        payer = IntegerField()
        claims = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "claim_count"
            indexes = ((("status", "follow_up_on", "assignee", "payer"), True),)

    return [FillCount, ClaimCount]


def _sqlite_triggers(db, sql: _Sql) -> None:
    kept, counted = sql.kept, sql.counted
    db.execute_sql(
        f"CREATE TRIGGER {kept}_on_insert AFTER INSERT ON {counted} BEGIN {sql.add()} END"
    )
    db.execute_sql(
        f"CREATE TRIGGER {kept}_on_delete AFTER DELETE ON {counted} BEGIN {sql.remove()} END"
    )
    db.execute_sql(
        f"CREATE TRIGGER {kept}_on_update AFTER UPDATE OF {sql.watched} ON {counted}"
        f" WHEN {sql.changed('IS NOT')} BEGIN {sql.remove()} {sql.add()} END"
    )


def _postgres_triggers(db, sql: _Sql) -> None:
    kept, counted = sql.kept, sql.counted
    db.execute_sql(f"""
        CREATE FUNCTION {kept}_keep() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NOT ({sql.changed("IS DISTINCT FROM")}) THEN
                RETURN NULL;
            END IF;
            PERFORM pg_advisory_xact_lock({AUDIT_CHAIN});
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                {sql.remove()}
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                {sql.add()}
            END IF;
            RETURN NULL;
        END
        $$""")
    db.execute_sql(
        f"CREATE TRIGGER {kept}_keep AFTER INSERT OR DELETE OR UPDATE OF {sql.watched}"
        f" ON {counted} FOR EACH ROW EXECUTE FUNCTION {kept}_keep()"
    )


def _is_sqlite(db):
    return isinstance(db, SqliteDatabase)


def up(migrator, db):
    db.create_tables(_tables(db))
    for kept in KEPT:
        sql = _Sql(db, *kept)
        (_sqlite_triggers if _is_sqlite(db) else _postgres_triggers)(db, sql)
        db.execute_sql(sql.backfill())


def down(migrator, db):
    for kept, counted, _, _ in KEPT:
        if _is_sqlite(db):
            for event in ("insert", "delete", "update"):
                db.execute_sql(f"DROP TRIGGER {kept}_on_{event}")
        else:
            db.execute_sql(f"DROP TRIGGER {kept}_keep ON {counted}")
            db.execute_sql(f"DROP FUNCTION {kept}_keep()")
        db.execute_sql(f"DROP TABLE {kept}")
