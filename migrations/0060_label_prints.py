"""Label prints: every print of a fill's label (who, when, copies, stock, reprint reason).

printed_at defaults in the app (utcnow); the frozen model leaves that out.
"""

from peewee import *


def up(migrator, db):
    class Fill(Model):
        class Meta:
            database = db
            table_name = "fill"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class LabelPrint(Model):
        fill = ForeignKeyField(Fill, on_delete="CASCADE")
        printed_by = ForeignKeyField(User, on_delete="RESTRICT")
        printed_at = DateTimeField()
        copies = IntegerField(default=1)
        stock = CharField(max_length=40)
        reprint_reason = TextField(default="")

        class Meta:
            database = db
            table_name = "label_print"
            indexes = ((("fill", "printed_at"), False),)

    db.create_tables([LabelPrint])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("label_print"))
