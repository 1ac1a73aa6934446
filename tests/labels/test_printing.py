"""Printing labels from the app: the print log, reprint reasons, batches and scan-to-open."""

from portal.audit.models import AuditEvent
from portal.foundation import settings
from portal.foundation.db import write_transaction
from portal.labels.models import LabelPrint
from portal.labels.pool import MIN_PER_PART, default_workers, shared_pool
from tests.factories import advance_fill, make_fill
from tests.labels.pdfcheck import page_texts


def filled(state="fill"):
    return advance_fill(make_fill(), state)


def test_printing_a_label_returns_a_pdf_and_logs_who_printed_it(app, client_as):
    tech = client_as("technician")
    fill = filled()
    response = tech.post(f"/labels/fills/{fill.id}", data={"copies": "2"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "inline" in response.headers["Content-Disposition"]
    assert len(page_texts(response.data)) == 2
    row = LabelPrint.get()
    assert (row.fill_id, row.printed_by_id, row.copies, row.stock) == (
        fill.id,
        tech.user.id,
        2,
        "4x2.5",
    )
    event = AuditEvent.get(AuditEvent.action == "print")
    assert (event.entity, event.patient_id) == ("fill", fill.patient_id)


def test_reprint_without_a_reason_is_refused_with_a_message(app, client_as):
    tech = client_as("technician")
    fill = filled()
    tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    response = tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert response.status_code == 422
    assert "Say why it is being printed again" in response.get_data(as_text=True)
    assert LabelPrint.select().count() == 1
    response = tech.post(
        f"/labels/fills/{fill.id}", data={"copies": "1", "reprint_reason": "Label torn"}
    )
    assert response.mimetype == "application/pdf"
    assert [p.reprint_reason for p in LabelPrint.history(fill.id)] == ["", "Label torn"]


def test_bad_copies_re_renders_the_form(app, client_as):
    tech = client_as("technician")
    fill = filled()
    response = tech.post(f"/labels/fills/{fill.id}", data={"copies": "99"})
    assert response.status_code == 422
    assert "Print 1 to 5 copies." in response.get_data(as_text=True)
    assert LabelPrint.select().count() == 0


def test_fill_page_shows_the_print_history(app, client_as):
    tech = client_as("technician")
    fill = filled()
    assert "The label has not been printed yet." in tech.get(f"/fills/{fill.id}").get_data(
        as_text=True
    )
    tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    page = tech.get(f"/fills/{fill.id}").get_data(as_text=True)
    assert "Label prints" in page and "Reprint label" in page and tech.user.full_name in page


def test_batch_prints_chosen_fills_in_one_pdf(app, client_as):
    tech = client_as("technician")
    first, second, other = filled(), filled("final_verify"), filled()
    page = tech.get("/labels/batch").get_data(as_text=True)
    assert first.rx_fill in page and second.rx_fill in page
    response = tech.post("/labels/batch", data={"fill": [str(first.id), str(second.id)]})
    assert response.mimetype == "application/pdf"
    text = " ".join(page_texts(response.data))
    assert str(first.prescription.rx_number) in text
    assert str(second.prescription.rx_number) in text
    assert str(other.prescription.rx_number) not in text
    assert {p.fill_id for p in LabelPrint.select()} == {first.id, second.id}


def sent_to_workers(monkeypatch) -> list[int]:
    """How many labels each task sent to the label workers carried, filled in as they go."""
    sent = []
    submit = shared_pool.submit
    monkeypatch.setattr(
        shared_pool,
        "submit",
        lambda labels, *args: sent.append(len(labels)) or submit(labels, *args),
    )
    return sent


def test_a_large_batch_is_laid_out_on_the_configured_workers_in_fill_order(
    app, client_as, monkeypatch
):
    app.config["LABEL_WORKERS"] = 2
    shared_pool.wait_ready(2)
    parts_sent = sent_to_workers(monkeypatch)
    fills = [filled() for _ in range(MIN_PER_PART * 2)]
    tech = client_as("technician")
    response = tech.post("/labels/batch", data={"fill": [str(fill.id) for fill in fills]})
    assert response.mimetype == "application/pdf"
    assert parts_sent == [MIN_PER_PART]  # the second half went to the worker
    pages = page_texts(response.data)
    assert len(pages) == len(fills)
    for page, fill in zip(pages, fills, strict=True):
        assert fill.rx_fill in page


def test_where_the_portal_is_served_a_single_label_is_laid_out_in_a_worker(
    app, client_as, monkeypatch
):
    from portal.labels import start_workers

    app.config["LABEL_WORKERS"] = 2
    fill = filled()
    tech = client_as("technician")
    sent = sent_to_workers(monkeypatch)
    here = tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert sent == []  # not served (a test, a command): laid out in this process
    start_workers(app)
    try:
        shared_pool.wait_ready(2)
        served = tech.post(
            f"/labels/fills/{fill.id}", data={"copies": "1", "reprint_reason": "Label torn"}
        )
    finally:
        shared_pool.stop_serving()
    assert sent == [1]
    assert served.mimetype == here.mimetype == "application/pdf"
    assert page_texts(served.data) == page_texts(here.data)
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 2


def test_batch_with_a_printed_fill_needs_a_reprint_reason(app, client_as):
    tech = client_as("technician")
    fill = filled()
    tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    response = tech.post("/labels/batch", data={"fill": [str(fill.id)]})
    assert response.status_code == 422
    assert "Say why they are being printed again" in response.get_data(as_text=True)
    response = tech.post("/labels/batch", data={"fill": []})
    assert "Choose at least one fill to print." in response.get_data(as_text=True)


def test_label_stock_setting_chooses_the_stock(app, client_as):
    tech = client_as("technician")
    fill = filled()
    with write_transaction():
        settings.put("label_stock", "3x2")
    tech.post(f"/labels/fills/{fill.id}", data={"copies": "1"})
    assert LabelPrint.get().stock == "3x2"


def test_scanning_a_label_opens_final_verification_or_pickup(app, client_as):
    pharmacist = client_as("pharmacist")
    at_final, ready = filled("final_verify"), filled("ready")
    code = f"RX{at_final.prescription.rx_number}-0"
    response = pharmacist.get("/labels/scan", query_string={"code": code})
    assert response.headers["Location"].endswith(f"/fills/{at_final.id}/verify-final")
    code = f"RX{ready.prescription.rx_number}-0"
    response = pharmacist.get("/labels/scan", query_string={"code": code})
    assert response.headers["Location"].endswith(f"/fills/{ready.id}/pickup")
    response = pharmacist.get("/labels/scan", query_string={"code": "0312345678906"})
    assert response.status_code == 302
    follow = pharmacist.get(response.headers["Location"]).get_data(as_text=True)
    assert "is not a label barcode" in follow


def test_admin_pharmacy_page_warns_when_harfbuzz_is_missing(app, client_as):
    admin = client_as("admin")
    app.config["LABELS_HARFBUZZ_OK"] = True
    assert "Font subsetting (HarfBuzz) is available" in admin.get("/admin/pharmacy").get_data(
        as_text=True
    )
    app.config["LABELS_HARFBUZZ_OK"] = False
    page = admin.get("/admin/pharmacy").get_data(as_text=True)
    assert "HarfBuzz font subsetting is not available." in page


def test_admin_pharmacy_page_says_how_many_cores_lay_out_label_batches(app, client_as):
    assert app.config["LABEL_WORKERS"] == default_workers()  # unset: the machine's cores
    admin = client_as("admin")
    app.config["LABEL_WORKERS"] = 3
    page = admin.get("/admin/pharmacy").get_data(as_text=True)
    assert "Large label batches are laid out on 3 processor cores at once." in page
    app.config["LABEL_WORKERS"] = 1
    page = admin.get("/admin/pharmacy").get_data(as_text=True)
    assert "Label batches are laid out on one processor core." in page


def test_print_page_warns_in_words_when_text_does_not_fit(app, client_as):
    tech = client_as("technician")
    fill = filled()
    rx = fill.prescription
    with write_transaction():
        rx.directions = (
            "Take 1 capsule by mouth three times daily with a full glass of water. " * 12
        )
        rx.save()
    page = tech.get(f"/labels/fills/{fill.id}").get_data(as_text=True)
    assert "Does not fit:" in page
    assert "directions" in page
