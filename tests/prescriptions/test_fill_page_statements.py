"""The fill page and final verification name who did each step and each pharmacist's
decision from the statements that read the fill and its decisions: more steps done, or more
decisions, never add a statement (no person read one by one)."""

from playhouse.test_utils import count_queries

from tests.factories import advance_fill, make_fill, make_user


def _statements(client, path: str) -> tuple[int, str]:
    with count_queries() as counted:
        page = client.get(path)
    assert page.status_code == 200
    return len(counted.get_queries()), page.text


def test_fill_page_names_every_step_and_decision_without_a_statement_each(client_as):
    viewer = client_as("pharmacist")
    first_pharmacist = make_user(roles=("pharmacist",), full_name="Pat Checkfirst")
    second_pharmacist = make_user(roles=("pharmacist",), full_name="Lee Checklast")
    technician = make_user(roles=("technician",), full_name="Sam Enterer")
    waiting = make_fill()
    done = advance_fill(make_fill(), "final_verify", first_pharmacist, technician)
    done.move_to("fill", second_pharmacist, reason="wrong count")  # a second decision
    advance_fill(done, "ready", second_pharmacist, technician)

    _statements(viewer, f"/fills/{waiting.id}")  # templates compiled
    few, _ = _statements(viewer, f"/fills/{waiting.id}")
    many, text = _statements(viewer, f"/fills/{done.id}")
    assert "Pat Checkfirst" in text and "Lee Checklast" in text and "Sam Enterer" in text
    assert many == few


def test_final_verification_names_who_filled_and_who_verified_the_data(client_as):
    pharmacist = client_as("pharmacist")
    data_pharmacist = make_user(roles=("pharmacist",), full_name="Dana Dataview")
    technician = make_user(roles=("technician",), full_name="Fran Filler")
    fill = advance_fill(make_fill(), "final_verify", data_pharmacist, technician)
    _, text = _statements(pharmacist, f"/fills/{fill.id}/verify-final")
    assert "Dana Dataview" in text and "Fran Filler" in text
    with count_queries() as counted:
        pharmacist.get(f"/fills/{fill.id}/verify-final")
    users = [q for q in counted.get_queries() if 'FROM "user"' in q.msg[0]]
    assert users == []  # the names came with the fill
