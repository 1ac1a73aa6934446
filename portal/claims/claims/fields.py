"""MoneyField: an amount of money stored as whole cents.

Integers, not DECIMAL: SQLite keeps DECIMAL columns as binary floats, so the dashboard's
SQL sums over a year of claims would drift by fractions of a cent; BIGINT cents add up
exactly on SQLite and PostgreSQL alike. Python code only ever sees Decimal
(portal.foundation.money).
"""

from decimal import Decimal

from peewee import BigIntegerField

from portal.foundation.money import from_cents, parse_money, to_cents


class MoneyField(BigIntegerField):
    """A Decimal amount to the cent, kept as an integer number of cents."""

    def db_value(self, value):
        if value is None:
            return None
        return to_cents(parse_money(value, allow_negative=True))

    def python_value(self, value):
        return cents_to_money(value)


def cents_to_money(value) -> Decimal | None:
    """A raw stored amount (or a SQL SUM of one: int on SQLite, Decimal on PostgreSQL)."""
    if value is None:
        return None
    return from_cents(int(value))
