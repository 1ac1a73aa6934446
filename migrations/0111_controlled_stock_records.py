"""Controlled-substance stock records: counts compared with the perpetual inventory, C-II
orders (DEA Form 222 or CSOS) with the quantity received per line, and theft, loss and
destruction reports (DEA Forms 106 and 41). The index on stock_movement (lot_id, id) lets
the perpetual inventory read a product's newest movements without sorting them all.

Models here are frozen copies; quantities are BIGINT ten-thousandths.
"""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Product(Model):
        class Meta:
            database = db
            table_name = "product"

    class Ingredient(Model):
        class Meta:
            database = db
            table_name = "ingredient"

    class Lot(Model):
        class Meta:
            database = db
            table_name = "lot"

    class CountCheck(Model):
        lot = ForeignKeyField(Lot, on_delete="RESTRICT")
        expected = BigIntegerField()
        counted = BigIntegerField()
        explanation = TextField(default="")
        counted_by = ForeignKeyField(User, on_delete="RESTRICT")
        at = DateTimeField()
        movement_id = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "controlled_count_check"
            indexes = ((("lot", "at"), False),)

    class ControlledOrder(Model):
        order_form = CharField(max_length=4)
        order_number = CharField(max_length=20, unique=True)
        supplier = CharField(max_length=120)
        supplier_dea = CharField(max_length=9)
        ordered_on = DateField()
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "controlled_order"

    class ControlledOrderLine(Model):
        order = ForeignKeyField(ControlledOrder, on_delete="CASCADE")
        line_number = IntegerField()
        product = ForeignKeyField(Product, on_delete="RESTRICT")
        quantity_ordered = BigIntegerField()
        quantity_received = BigIntegerField(default=0)
        received_on = DateField(null=True)
        received_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "controlled_order_line"
            indexes = ((("order", "line_number"), True),)

    class LossReport(Model):
        kind = CharField(max_length=12)
        lot = ForeignKeyField(Lot, on_delete="RESTRICT")
        product = ForeignKeyField(Product, null=True, on_delete="RESTRICT")
        ingredient = ForeignKeyField(Ingredient, null=True, on_delete="RESTRICT")
        quantity = BigIntegerField()
        happened_on = DateField()
        loss_kind = CharField(max_length=20, default="")
        police_report = CharField(max_length=40, default="")
        method = CharField(max_length=20, default="")
        witnesses = CharField(max_length=200, default="")
        circumstances = TextField()
        recorded_by = ForeignKeyField(User, on_delete="RESTRICT")
        recorded_at = DateTimeField()
        movement_id = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "controlled_loss_report"

    db.create_tables([CountCheck, ControlledOrder, ControlledOrderLine, LossReport])
    migrator.migrate(migrator.add_index("stock_movement", ("lot_id", "id"), False))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("stock_movement", "stock_movement_lot_id_id"))
    for table in (
        "controlled_loss_report",
        "controlled_order_line",
        "controlled_order",
        "controlled_count_check",
    ):
        db.execute_sql(f"DROP TABLE {table}")
