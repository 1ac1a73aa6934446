"""The pharmacy itself and its settings."""

import json

from peewee import CharField, TextField

from portal.db import BaseModel


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
        return cls.select().order_by(cls.id).first()

    @property
    def address(self) -> str:
        street = ", ".join(part for part in (self.address_line1, self.address_line2) if part)
        return f"{street}, {self.city}, {self.state} {self.postal_code}"


class Setting(BaseModel):
    """A pharmacy setting that differs from its default (see portal.core.settings)."""

    key = CharField(max_length=80, unique=True)
    value = TextField()

    def decoded(self):
        return json.loads(self.value)
