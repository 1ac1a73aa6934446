"""Pharmacists maintain the knowledge base on its pages and by CSV import; every change is
audited, and a name that refers to nothing is refused in words."""

import io

from portal.audit.models import AuditEvent
from portal.catalog.knowledge.models import ClassMember, CrossSensitivity, DrugClass, Interaction
from tests.factories import make_ingredient


def _events(entity):
    return list(AuditEvent.select().where(AuditEvent.entity == entity).order_by(AuditEvent.id))


def test_the_list_finds_a_class_by_a_member(client_as):
    page = client_as("technician").get("/inventory/knowledge?q=cefaclor")
    assert page.status_code == 200
    assert "Cephalosporins" in page.text and "Penicillins" not in page.text
    assert "Add class" not in page.text  # technicians look; pharmacists change


def test_a_pharmacist_adds_and_edits_a_class_audited(client_as):
    client = client_as("pharmacist")
    response = client.post(
        "/inventory/knowledge/classes/new",
        data={
            "name": "Bisphosphonates",
            "kind": "drug",
            "allergy_reaches_class": "y",
            "members": "alendronate\nrisedronate, ibandronate",
            "source": "FDA EPC",
        },
    )
    assert response.status_code == 302
    row = DrugClass.get(DrugClass.key == "bisphosphonate")
    assert sorted(m.member for m in row.members) == ["alendronate", "ibandronate", "risedronate"]
    [created] = _events("drug_class")
    assert created.action == "create" and created.user_id == client.user.id

    client.post(
        f"/inventory/knowledge/classes/{row.id}/edit",
        data={"name": "Bisphosphonates", "kind": "drug", "members": "alendronate",
              "source": "FDA EPC"},
    )  # fmt: skip
    assert [m.member for m in row.members] == ["alendronate"]
    assert _events("drug_class")[-1].action == "update"


def test_a_class_without_a_source_is_refused_and_keeps_what_was_typed(client_as):
    page = client_as("pharmacist").post(
        "/inventory/knowledge/classes/new",
        data={"name": "Statins 2", "kind": "drug", "members": "atorvastatin", "source": ""},
    )
    assert page.status_code == 200
    assert "Name the source" in page.text and "atorvastatin" in page.text
    assert not DrugClass.select().where(DrugClass.name == "Statins 2").exists()


def test_an_interaction_naming_nothing_known_is_refused_in_words(client_as):
    client = client_as("pharmacist")
    page = client.post(
        "/inventory/knowledge/interactions/new",
        data={"drug_a": "warfarin", "drug_b": "unobtainium", "severity": "major",
              "effect": "bleeding", "source": "test"},
    )  # fmt: skip
    assert "“unobtainium” is not a drug, ingredient or class" in page.text
    assert not Interaction.select().where(Interaction.drug_b == "unobtainium").exists()


def test_an_interaction_with_a_catalog_ingredient_is_saved_audited_and_screens(client_as):
    make_ingredient(name="Fluconazole Powder")
    client = client_as("pharmacist")
    response = client.post(
        "/inventory/knowledge/interactions/new",
        data={"drug_a": "warfarin", "drug_b": "fluconazole powder", "severity": "major",
              "effect": "INR rises", "management": "Check INR in 3-5 days", "source": "Lexi"},
    )  # fmt: skip
    assert response.status_code == 302
    row = Interaction.get(Interaction.drug_b == "fluconazole powder")
    assert _events("drug_interaction")[-1].action == "create"
    client.post(f"/inventory/knowledge/interactions/{row.id}/delete")
    assert not Interaction.select().where(Interaction.id == row.id).exists()
    assert _events("drug_interaction")[-1].action == "delete"


def test_a_class_named_by_a_pair_cannot_be_deleted(client_as):
    nitrates = DrugClass.get(DrugClass.key == "nitrate")
    response = client_as("pharmacist").post(
        f"/inventory/knowledge/classes/{nitrates.id}/delete", follow_redirects=True
    )
    assert "Pairs name Nitrates: PDE5 inhibitors + Nitrates" in response.text
    assert DrugClass.select().where(DrugClass.id == nitrates.id).exists()


def test_a_technician_cannot_change_the_knowledge_base(client_as):
    response = client_as("technician").post(
        "/inventory/knowledge/classes/new", data={"name": "X", "source": "y"}
    )
    assert response.status_code == 403


def _upload(client, text: str, name="dur.csv"):
    return client.post(
        "/inventory/knowledge/import",
        data={"file": (io.BytesIO(text.encode()), name)},
        content_type="multipart/form-data",
    )


def test_an_interactions_csv_shows_line_numbered_problems_and_writes_nothing(client_as):
    client = client_as("pharmacist")
    before = Interaction.select().count()
    csv = (
        "drug_a,drug_b,severity,effect,management,source\n"
        "warfarin,fluconazole,major,INR rises,Check INR,Licensed file\n"
        "warfarin,moonrock,major,?,,Licensed file\n"
        "lithium,ibuprofen,severe,toxicity,,Licensed file\n"
    )
    preview = client.get(_upload(client, csv).headers["Location"])
    assert "Line 3: “moonrock” refers to no drug, ingredient or class known." in preview.text
    assert "Line 4:" in preview.text and "severity must be one of" in preview.text
    assert "nothing can be imported while any remain" in preview.text
    assert Interaction.select().count() == before


def test_a_clean_csv_is_previewed_then_written_once_confirmed_and_audited(client_as):
    client = client_as("pharmacist")
    classes = (
        "class,member,kind,allergy_reaches_class,duplication,member_allergy,source\n"
        "Azole antifungals,fluconazole,drug,no,no,,Licensed file\n"
        "Mood stabilizers,lithium,drug,no,yes,,Licensed file\n"
    )
    location = _upload(client, classes).headers["Location"]
    preview = client.get(location)
    assert "1</strong> to add" in preview.text and "1</strong> unchanged" in preview.text
    assert not ClassMember.select().where(ClassMember.key == "lithium").exists()
    client.post(location, data={"confirm": "1"})
    assert ClassMember.select().where(ClassMember.key == "lithium").exists()

    pairs = (
        "allergen,drug,level,reason,source\n"
        "Penicillins,Carbapenems,warn,under 1% (raised to a warning),Local policy\n"
    )
    location = _upload(client, pairs).headers["Location"]
    assert "1</strong> to update" in client.get(location).text
    client.post(location, data={"confirm": "1"})
    row = CrossSensitivity.get(CrossSensitivity.drug_key == "carbapenem")
    assert row.level == "warn" and row.source == "Local policy"
    imports = AuditEvent.select().where(AuditEvent.action == "import")
    assert imports.count() == 2
    assert _events("cross_sensitivity")[-1].action == "update"


def test_a_file_with_an_unknown_header_is_refused_in_words(client_as):
    client = client_as("pharmacist")
    page = client.get(_upload(client, "a,b\n1,2\n").headers["Location"])
    assert "The header row matches none of the layouts" in page.text


def test_allergy_entry_searches_the_knowledge_base_as_you_type(client_as):
    client = client_as("technician")
    options = client.get("/patients/allergens?allergen=cefa")
    assert '<option value="cefaclor">' in options.text
    assert '<option value="cefadroxil">' in options.text


def test_free_text_allergies_are_matched_to_known_names_or_noted_as_unscreened(client_as):
    from portal.patients.models import Allergy
    from tests.factories import make_patient

    patient = make_patient()
    client = client_as("technician")
    page = client.post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "CEFACLOR", "kind": "text", "severity": "moderate"},
        follow_redirects=True,
    )
    cefaclor = Allergy.get(Allergy.patient == patient.id)
    assert (cefaclor.allergen, cefaclor.kind) == ("cefaclor", "ingredient")
    assert "unscreened" not in page.text
    page = client.post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "bee stings", "kind": "text", "severity": "moderate"},
        follow_redirects=True,
    )
    assert "“bee stings” matches no drug, ingredient or class Mortar knows" in page.text
    assert Allergy.get(Allergy.allergen == "bee stings").kind == "text"
    client.post(
        f"/patients/{patient.id}/allergies/new",
        data={"allergen": "phenanthrene opioids", "kind": "ingredient", "severity": "mild"},
    )
    assert Allergy.get(Allergy.allergen == "Phenanthrene opioids").kind == "class"


def test_a_change_on_the_page_reaches_screening_at_once(client_as):
    from portal.catalog.knowledge.models import current_knowledge

    before = current_knowledge()
    assert not before.pairs_between({"warfarin"}, {"azole antifungal"})
    client_as("pharmacist").post(
        "/inventory/knowledge/interactions/new",
        data={"drug_a": "warfarin", "drug_b": "Azole antifungals", "severity": "major",
              "effect": "INR rises", "source": "Lexi"},
    )  # fmt: skip
    after = current_knowledge()
    assert after is not before
    assert after.pairs_between({"warfarin"}, {"azole antifungal"})
    assert current_knowledge() is after  # kept until the next change
