"""A cream, gel, emulsion, solution or suspension classed nonaqueous is queried: USP <795>
(2023) classes them aqueous (14 days unpreserved), not 180 days."""

import pytest

from portal.catalog.formulas.models import Formula
from portal.catalog.formulas.rules import preparation_type_warning
from tests.compounding.test_formula_pages import _formula_form, _text
from tests.factories import make_ingredient


@pytest.mark.parametrize(
    "form",
    ["cream", "Transdermal cream", "gel", "emulsion", "oral solution", "suspension", "Gels"],
)
def test_usually_aqueous_forms_classed_nonaqueous_are_queried(form):
    warning = preparation_type_warning(form, "nonaqueous")
    assert warning and "USP <795>" in warning and "14-day" in warning
    assert preparation_type_warning(form, "aqueous") is None


@pytest.mark.parametrize("form", ["ointment", "suppository", "troche", "capsule", "gelatin troche"])
def test_other_forms_are_not_queried(form):
    assert preparation_type_warning(form, "nonaqueous") is None


def test_the_formula_form_queries_a_nonaqueous_cream_and_accepts_a_confirmation(client_as):
    client = client_as("technician")
    active, base = make_ingredient(name="Ketoprofen USP"), make_ingredient(name="Lipoderm")
    data = _formula_form(
        active, base, dosage_form="transdermal cream", preparation_type="nonaqueous"
    )
    text = _text(client.post("/compounding/formulas/new", data=data))
    assert "A cream is usually aqueous" in text
    assert "It is made without water" in text
    assert Formula.select().count() == 0
    data["confirm_nonaqueous"] = "y"
    assert client.post("/compounding/formulas/new", data=data).status_code == 302


def test_the_demo_ketoprofen_lidocaine_cream_is_aqueous():
    from portal.compounding.demo import FORMULAS

    [cream] = [f for f in FORMULAS if f["fields"]["name"] == "Ketoprofen / Lidocaine"]
    assert cream["fields"]["preparation_type"] == "aqueous"
    assert preparation_type_warning(cream["fields"]["dosage_form"], "aqueous") is None
