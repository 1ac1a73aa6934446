"""Claims: claim.state is renamed claim.status, the field name every life cycle uses (fills,
compounding records, claims, prior authorizations, formulas). The values are kept as they
are. The four indexes that name the column are dropped and made again under the new name,
so a database migrated from before reads the same as a new one.
"""

from playhouse.migrate import make_index_name

# The claim indexes that carry the state, in their column order (see Claim.Meta.indexes).
DASHBOARD = (
    "date_of_service",
    "payer_id",
    "{}",
    "times_rejected",
    "primary_claim_id",
    "billed",
    "other_payer_paid",
    "paid",
    "written_off",
    "days_to_payment",
)
INDEXES = (
    ("{}", "date_of_service"),
    ("payer_id", "{}"),
    DASHBOARD,
    ("follow_up_on", "{}", "payer_id"),
)


def _columns(column: str) -> list[tuple[str, ...]]:
    return [tuple(part.format(column) for part in index) for index in INDEXES]


def _rename(migrator, old: str, new: str) -> None:
    for columns in _columns(old):
        migrator.migrate(migrator.drop_index("claim", make_index_name("claim", columns)))
    migrator.migrate(migrator.rename_column("claim", old, new))
    for columns in _columns(new):
        migrator.migrate(migrator.add_index("claim", columns))


def up(migrator, db):
    _rename(migrator, "state", "status")


def down(migrator, db):
    _rename(migrator, "status", "state")
