"""Staff accounts keep the last and first name apart, as the state PMP report sends the
pharmacist's (ASAP 4.2A AIR09 last name, AIR10 first name): a one-line full name cannot say
where "de la Cruz" or "Nguyen Van An" splits. Existing accounts are filled as the report split
them until now (the last word the last name, the words before it the first name); an
administrator corrects them on the staff page."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "last_name", CharField(max_length=80, default="")),
        migrator.add_column("user", "first_name", CharField(max_length=80, default="")),
    )
    users = Table("user", ("id", "full_name", "last_name", "first_name")).bind(db)
    for row in users.select(users.id, users.full_name).dicts():
        words = (row["full_name"] or "").split()
        if words:
            users.update(last_name=words[-1][:80], first_name=" ".join(words[:-1])[:80]).where(
                users.id == row["id"]
            ).execute()


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("user", "first_name"),
        migrator.drop_column("user", "last_name"),
    )
