"""The pharmacy itself (its settings are rows of portal.foundation.settings.Setting)."""

from peewee import CharField

from portal.foundation.db import BaseModel, Prepared


class Pharmacy(BaseModel):
    """The one pharmacy this install serves (a single row)."""

    name = CharField(max_length=120)
    address_line1 = CharField(max_length=120)
    address_line2 = CharField(max_length=120, default="")
    city = CharField(max_length=80)
    state = CharField(max_length=2)
    postal_code = CharField(max_length=10)
    phone = CharField(max_length=20)
    fax = CharField(max_length=20, default="")
    npi = CharField(max_length=10)
    ncpdp_id = CharField(max_length=7)
    dea = CharField(max_length=9, default="")
    time_zone = CharField(max_length=64, default="America/New_York")

    @classmethod
    def current(cls):
        """The pharmacy (None before setup). Read at every request: its SQL is built once."""
        return _CURRENT.first()

    @property
    def address(self) -> str:
        street = ", ".join(part for part in (self.address_line1, self.address_line2) if part)
        return f"{street}, {self.city}, {self.state} {self.postal_code}"


_CURRENT = Prepared(lambda: Pharmacy.select().order_by(Pharmacy.id).limit(1))
