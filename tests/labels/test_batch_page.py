"""The labels batch page: a fixed number of statements whatever the number of fills, 50 fills
a page with the next ones brought in place, and a fill chosen on a later page printed."""

import re

from playhouse.test_utils import count_queries

from portal.audit.models import AuditEvent
from portal.labels import batch_list
from portal.labels.models import LabelPrint
from tests.factories import (
    advance_fill,
    make_fill,
    make_patient,
    make_prescriber,
    make_product,
    make_user,
)
from tests.factories.compounding import make_compound_fill, make_compound_prescription
from tests.labels.pdfcheck import page_texts

HTMX = {"HX-Request": "true"}


def _waiting_fills(count, pharmacist, technician, **shared):
    """``count`` fills at filling, each its own patient and drug unless ``shared`` names them."""
    return [
        advance_fill(make_fill(**shared), "fill", pharmacist=pharmacist, technician=technician)
        for _ in range(count)
    ]


def _mixed_list(count, tech):
    """``count`` product fills, one printed before, plus a compound whose record is done and
    one whose record is not started: every kind of row the page shows."""
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    fills = _waiting_fills(count, pharmacist, technician)
    tech.post(f"/labels/fills/{fills[0].id}", data={"copies": "1"})
    compounded = make_compound_fill()
    not_compounded = advance_fill(
        make_compound_prescription().fills.first(), "compound", pharmacist, technician
    )
    return fills + [compounded, not_compounded]


def _statements(tech, path, **kwargs) -> tuple[int, str]:
    """The statements a request for ``path`` runs, and the page. A request just before it
    takes the terminal's activity stamp, renewed at most every few seconds, out of the count."""
    tech.get(path, **kwargs)
    with count_queries() as counted:
        response = tech.get(path, **kwargs)
    assert response.status_code == 200
    return counted.count, response.get_data(as_text=True)


def test_the_batch_page_runs_as_many_statements_for_30_fills_as_for_3(app, client_as):
    tech = client_as("technician")
    few = _mixed_list(3, tech)
    few_count, page = _statements(tech, "/labels/batch")
    for fill in few:
        assert fill.rx_fill in page
        assert fill.patient.full_name in page
        assert fill.prescription.drug_name in page
    assert page.count("yes — reprint") == 1
    assert page.count("label not ready") == 1

    many = few + _mixed_list(27, tech)
    many_count, page = _statements(tech, "/labels/batch")
    for fill in many:
        assert fill.rx_fill in page and fill.patient.full_name in page
        assert fill.prescription.drug_name in page
    assert page.count("yes — reprint") == 2
    assert page.count("label not ready") == 2
    assert many_count == few_count


def test_the_list_comes_50_at_a_time_in_queue_order_and_the_next_rows_come_in_place(app, client_as):
    tech = client_as("technician")
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    shared = {"patient": make_patient(), "prescriber": make_prescriber(), "product": make_product()}
    fills = _waiting_fills(53, pharmacist, technician, **shared)
    first_count, page = _statements(tech, "/labels/batch")
    shown = re.findall(r'name="fill" value="(\d+)"', page)
    assert shown == [str(f.id) for f in fills[:50]]
    assert "Show the next 50" in page
    after = re.search(r'hx-get="/labels/batch\?after=([^"]+)"', page).group(1)

    next_count, rows = _statements(tech, f"/labels/batch?after={after}", headers=HTMX)
    assert re.findall(r'name="fill" value="(\d+)"', rows) == [str(f.id) for f in fills[50:]]
    assert "<form" not in rows and "Show the next" not in rows  # rows only; none after them
    assert "data-swap-focus" in rows.split(fills[50].rx_fill)[0]
    assert next_count <= first_count

    # Without htmx (a link opened in a new tab) the page after the cursor comes whole.
    _count, whole = _statements(tech, f"/labels/batch?after={after}")
    assert "<form" in whole and fills[52].rx_fill in whole and fills[0].rx_fill not in whole


def test_an_unreadable_cursor_shows_the_first_page(app, client_as):
    tech = client_as("technician")
    fill = advance_fill(make_fill(), "fill")
    page = tech.get("/labels/batch?after=not-a-cursor", headers=HTMX).get_data(as_text=True)
    assert "<form" in page and fill.rx_fill in page


def test_a_fill_chosen_on_the_second_page_prints_and_is_logged(app, client_as):
    tech = client_as("technician")
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    shared = {"prescriber": make_prescriber(), "product": make_product()}
    fills = _waiting_fills(52, pharmacist, technician, **shared)
    response = tech.post("/labels/batch", data={"fill": [str(fills[51].id)]})
    assert response.mimetype == "application/pdf"
    texts = page_texts(response.data)
    assert len(texts) == 1 and fills[51].rx_fill in texts[0]
    assert [p.fill_id for p in LabelPrint.select()] == [fills[51].id]


def test_a_refused_batch_shows_again_down_to_the_last_chosen_fill_still_chosen(app, client_as):
    tech = client_as("technician")
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    shared = {"prescriber": make_prescriber(), "product": make_product()}
    fills = _waiting_fills(55, pharmacist, technician, **shared)
    tech.post(f"/labels/fills/{fills[52].id}", data={"copies": "1"})
    chosen = [fills[3], fills[52]]
    response = tech.post("/labels/batch", data={"fill": [str(f.id) for f in chosen]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say why they are being printed again" in page
    checked = re.findall(r'name="fill" value="(\d+)" id="fill-\d+" checked', page)
    assert checked == [str(f.id) for f in chosen]
    shown = re.findall(r'name="fill" value="(\d+)"', page)
    assert shown == [str(f.id) for f in fills[:53]]  # through the chosen one, then "next"
    assert "Show the next 53" in page
    assert LabelPrint.select().count() == 1


def test_chosen_fills_are_only_those_still_at_a_printing_step_in_list_order(app):
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    first, second = _waiting_fills(2, pharmacist, technician)
    at_entry = make_fill()
    moved_on = advance_fill(make_fill(), "ready", pharmacist, technician)
    found = batch_list.chosen([second.id, at_entry.id, moved_on.id, first.id])
    assert [f.id for f in found] == [first.id, second.id]
    assert batch_list.chosen([]) == []


def test_printing_a_batch_reads_nothing_label_by_label(app, client_as):
    tech = client_as("technician")
    pharmacist, technician = make_user(roles=("pharmacist",)), make_user(roles=("technician",))
    few = _waiting_fills(2, pharmacist, technician)
    many = _waiting_fills(6, pharmacist, technician)
    tech.post("/labels/batch", data={"fill": [str(f.id) for f in few]})  # warm
    LabelPrint.delete().execute()

    def printing(fills) -> int:
        with count_queries() as counted:
            response = tech.post("/labels/batch", data={"fill": [str(f.id) for f in fills]})
        assert response.mimetype == "application/pdf"
        return counted.count

    few_count, many_count = printing(few), printing(many)
    # Per label only its print row is written; the audit events go in one INSERT and
    # nothing is read label by label.
    assert many_count - few_count == len(many) - len(few), (few_count, many_count)
    assert LabelPrint.select().count() == len(few) + len(many)
    events = AuditEvent.select().where(AuditEvent.action == "print")
    assert {int(e.entity_id) for e in events} >= {f.id for f in few + many}
