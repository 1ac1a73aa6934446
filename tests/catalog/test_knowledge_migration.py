"""Migrations 0100 (drug knowledge base, seeded) and 0101 (other medications) on a pharmacy
that already has patients and fills: everything it had stays, and the starter set arrives."""

from playhouse.schema_diff import diff_models

from portal import migrate
from portal.catalog.knowledge import starter
from portal.catalog.knowledge.models import ClassMember, DrugClass, Interaction
from portal.foundation.db import connection, db
from portal.patients.models import Allergy, Patient
from portal.schema import all_models
from tests.factories import make_allergy, make_fill

MIGRATION = "0100_drug_knowledge_base"


def test_upgrading_keeps_existing_data_and_seeds_the_starter_set(app):
    fill = make_fill()
    patient = fill.patient
    make_allergy(patient, "Amoxicillin", kind="ingredient")
    with connection():
        try:
            migrate.runner().down(MIGRATION)
            tables = set(db.get_tables())
            assert "drug_class" not in tables and "other_medication" not in tables
            assert migrate.runner().up()[0] == MIGRATION
        finally:
            migrate.runner().up()
        assert not diff_models(db.obj, all_models())
    assert Patient.get_by_id(patient.id).last_name == patient.last_name
    assert Allergy.get(Allergy.patient == patient.id).allergen == "Amoxicillin"
    assert DrugClass.select().count() == len(starter.classes())
    assert ClassMember.select().count() == len(starter.members())
    assert Interaction.select().count() == len(starter.INTERACTIONS)
    assert (
        DrugClass.get(DrugClass.key == "cephalosporin")
        .members.where(ClassMember.key == "cefaclor")
        .exists()
    )
