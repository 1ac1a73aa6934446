"""The drug knowledge base screening reads: drug and excipient classes with their members,
cross-sensitivity pairs and interaction pairs, each row with its source. Filled with the
starter set (portal/catalog/knowledge/starter.py) so an upgrading pharmacy screens with it
at once; nothing else is touched."""

from peewee import *

from portal.catalog.knowledge import starter
from portal.catalog.knowledge.names import term_key


def up(migrator, db):
    class DrugClass(Model):
        name = CharField(max_length=120)
        key = CharField(max_length=120, unique=True)
        kind = CharField(max_length=12, default="drug")
        allergy_reaches_class = BooleanField(default=True)
        duplication = BooleanField(default=False)
        source = CharField(max_length=250)

        class Meta:
            database = db
            table_name = "drug_class"

    class ClassMember(Model):
        drug_class = ForeignKeyField(DrugClass, on_delete="CASCADE")
        member = CharField(max_length=120)
        key = CharField(max_length=120, index=True)
        allergy = CharField(max_length=5, default="block")
        source = CharField(max_length=250)

        class Meta:
            database = db
            table_name = "drug_class_member"
            indexes = ((("drug_class", "key"), True),)

    class CrossSensitivity(Model):
        allergen = CharField(max_length=120)
        allergen_key = CharField(max_length=120, index=True)
        drug = CharField(max_length=120)
        drug_key = CharField(max_length=120)
        level = CharField(max_length=5, default="warn")
        reason = TextField(default="")
        source = CharField(max_length=250)

        class Meta:
            database = db
            table_name = "cross_sensitivity"
            indexes = ((("allergen_key", "drug_key"), True),)

    class Interaction(Model):
        drug_a = CharField(max_length=120)
        a_key = CharField(max_length=120, index=True)
        drug_b = CharField(max_length=120)
        b_key = CharField(max_length=120, index=True)
        severity = CharField(max_length=16)
        effect = TextField()
        management = TextField(default="")
        source = CharField(max_length=250)

        class Meta:
            database = db
            table_name = "drug_interaction"
            indexes = ((("a_key", "b_key"), True),)

    db.create_tables([DrugClass, ClassMember, CrossSensitivity, Interaction])
    ids = {}
    for fact in starter.classes():
        row = DrugClass.create(
            name=fact.name,
            key=fact.key,
            kind=fact.kind,
            allergy_reaches_class=fact.allergy_reaches_class,
            duplication=fact.duplication,
            source=fact.source,
        )
        ids[fact.key] = row.id
    ClassMember.insert_many(
        [
            {"drug_class": ids[m.class_key], "member": m.member, "key": m.key,
             "allergy": m.allergy, "source": m.source}
            for m in starter.members()
        ]
    ).execute()  # fmt: skip
    CrossSensitivity.insert_many(
        [
            {"allergen": c.allergen, "allergen_key": term_key(c.allergen), "drug": c.drug,
             "drug_key": term_key(c.drug), "level": c.level, "reason": c.reason,
             "source": c.source}
            for c in starter.CROSS
        ]
    ).execute()  # fmt: skip
    Interaction.insert_many(
        [
            {"drug_a": i.a, "a_key": term_key(i.a), "drug_b": i.b, "b_key": term_key(i.b),
             "severity": i.severity, "effect": i.effect, "management": i.management,
             "source": i.source}
            for i in starter.INTERACTIONS
        ]
    ).execute()  # fmt: skip


def down(migrator, db):
    for table in ("drug_interaction", "cross_sensitivity", "drug_class_member", "drug_class"):
        migrator.migrate(migrator.drop_table(table))
