"""The patient search: every reading of the box finds the right people, by index."""

from datetime import date

import pytest

from portal.patients import search
from portal.patients.rules import parse_patient_query
from portal.patients.search import find_patients, register_search_provider
from tests.factories import make_allergy, make_patient


def names(patients):
    return [p.sort_name for p in patients]


@pytest.fixture
def people(app):
    return {
        "john": make_patient(
            last_name="Smith",
            first_name="John",
            phone="(217) 555-0110",
            date_of_birth=date(1960, 1, 2),
        ),
        "jane": make_patient(
            last_name="Smith",
            first_name="Jane",
            phone="(309) 555-0111",
            date_of_birth=date(1971, 5, 6),
        ),
        "smithson": make_patient(
            last_name="Smithson",
            first_name="Ava",
            phone="",
            alt_phone="217-555-0199",
            date_of_birth=date(1960, 1, 2),
        ),
        "obrien": make_patient(
            last_name="O'Brien",
            first_name="Kathleen",
            phone="(217) 555-0114",
            date_of_birth=date(1985, 9, 9),
        ),
    }


def find(text):
    return names(find_patients(parse_patient_query(text), local_area_code="217"))


def test_last_name_prefix_finds_in_name_order(people):
    assert find("smi") == ["Smith, Jane", "Smith, John", "Smithson, Ava"]


def test_last_comma_first(people):
    assert find("smith, jo") == ["Smith, John"]


def test_first_last_typed_the_other_way_round(people):
    assert find("jane smith") == ["Smith, Jane"]


def test_apostrophes_do_not_matter(people):
    assert find("obri") == ["O'Brien, Kathleen"] == find("o'brien")


def test_date_of_birth_alone_and_with_a_name(people):
    assert find("1/2/1960") == ["Smith, John", "Smithson, Ava"]
    assert find("smiths 01/02/60") == ["Smithson, Ava"]


def test_phone_digits_full_or_local_and_the_other_phone(people):
    assert find("217 555 0110") == ["Smith, John"]
    assert find("555-0110") == ["Smith, John"]  # local: the pharmacy's area code
    assert find("2175550199") == ["Smithson, Ava"]  # alternate phone
    assert find("3095550") == ["Smith, Jane"]  # typed from the start


def test_nothing_for_an_unknown_rx_number_before_prescriptions_exist(people):
    assert find("rx 123") == []


def test_search_providers_add_readings(people, monkeypatch):
    monkeypatch.setattr(search, "_providers", list(search._providers))
    register_search_provider(
        lambda query, limit: [people["obrien"]] if query.rx_number == "4242" else []
    )
    assert find("#4242") == ["O'Brien, Kathleen"]


def test_results_are_capped(app):
    for number in range(25):
        make_patient(last_name="Lee", first_name=f"Sam{number:02d}")
    assert len(find("lee")) == 20


def test_search_page_and_htmx_partial(client_as, people):
    client = client_as("technician")
    page = client.get("/patients/search?q=smith%2C+jo")
    assert page.status_code == 200
    assert b"Smith, John" in page.data and b"Smith, Jane" not in page.data
    assert b'class="topbar"' in page.data
    partial = client.get("/patients/search?q=smi", headers={"HX-Request": "true"})
    assert b"Smithson, Ava" in partial.data
    assert b'class="topbar"' not in partial.data


def test_search_shows_allergy_state_and_offers_a_new_patient(client_as, people):
    make_allergy(people["john"])
    client = client_as("pharmacist")
    page = client.get("/patients/search?q=smith", headers={"HX-Request": "true"})
    assert b"Allergies" in page.data and b"Not asked" in page.data
    empty = client.get("/patients/search?q=zzzz", headers={"HX-Request": "true"})
    assert b"No patient matches" in empty.data
    assert b"/patients/new?q=zzzz" in empty.data


def test_admin_only_account_cannot_search_patients(client_as, people):
    assert client_as("admin").get("/patients/search?q=smith").status_code == 403


@pytest.mark.parametrize(
    "text", ["smi", "smith, jo", "jane smith", "1/2/1960", "smith 1/2/60", "2175550110", "5550110"]
)
def test_every_search_query_walks_an_index_not_the_table(people, text):
    """SQLite's plan for each query the search runs: SEARCH by an index, never SCAN patient."""
    import logging

    from portal.foundation.db import db, is_sqlite

    if not is_sqlite():
        pytest.skip("SQLite query plans")
    captured = []

    class Capture(logging.Handler):
        def emit(self, record):
            if isinstance(record.msg, tuple):
                captured.append(record.msg)

    logger = logging.getLogger("peewee")
    handler, level = Capture(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        find(text)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    queries = [(sql, params) for sql, params in captured if 'FROM "patient"' in sql]
    assert queries
    for sql, params in queries:
        plan = " / ".join(row[-1] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "SCAN" not in plan, plan
