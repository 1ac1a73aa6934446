"""A large label batch runs as long work: a 303 to its progress, one job however often it
is pressed, each label logged once, and the PDF kept for its printer alone."""

import threading

from portal.labels import from_fill
from portal.labels.models import LabelPrint
from tests.factories import advance_fill, make_fill
from tests.labels.pdfcheck import page_texts
from tests.waiting import finish


def _fills(count):
    return [advance_fill(make_fill(), "fill") for _ in range(count)]


def test_a_large_batch_goes_to_its_progress_and_comes_back_with_its_pdf(app, client_as):
    app.config["LABEL_LARGE_BATCH"] = 2
    fills = _fills(3)
    tech = client_as("technician")
    response = tech.post("/labels/batch", data={"fill": [str(f.id) for f in fills]})
    assert response.headers["Location"].startswith("/progress/")
    page = finish(tech, response).get_data(as_text=True)
    assert "3 labels are laid out and logged" in page
    address = page.split("data-print-when-loaded")[0].rsplit('src="', 1)[1].split('"')[0]
    pdf = tech.get(address)
    assert pdf.mimetype == "application/pdf"
    pages = page_texts(pdf.data)
    assert [f.rx_fill in text for f, text in zip(fills, pages, strict=True)] == [True] * 3
    assert LabelPrint.select().count() == 3

    other = client_as("technician")
    refused = other.get(address)
    assert refused.status_code == 302  # someone else's labels are not theirs to open
    assert "no longer kept here" in other.get(refused.headers["Location"]).get_data(as_text=True)


def test_a_small_batch_still_answers_with_its_pdf(app, client_as):
    app.config["LABEL_LARGE_BATCH"] = 2
    fills = _fills(2)
    response = client_as("technician").post(
        "/labels/batch", data={"fill": [str(f.id) for f in fills]}
    )
    assert response.mimetype == "application/pdf"


def test_pressing_a_large_batch_twice_runs_it_once(app, client_as, monkeypatch):
    app.config["LABEL_LARGE_BATCH"] = 2
    fills = _fills(3)
    release = threading.Event()
    read = from_fill.label_for_fill

    def held(fill, **given):
        release.wait(30)
        return read(fill, **given)

    monkeypatch.setattr("portal.labels.batch_work.label_for_fill", held)
    tech = client_as("technician")
    chosen = {"fill": [str(f.id) for f in fills]}
    first = tech.post("/labels/batch", data=chosen)
    second = tech.post("/labels/batch", data=chosen)
    assert first.headers["Location"] == second.headers["Location"]
    release.set()
    finish(tech, first)
    assert LabelPrint.select().count() == 3


def test_the_queue_links_to_the_labels_waiting(app, client_as):
    advance_fill(make_fill(), "fill")
    page = client_as("technician").get("/queue").get_data(as_text=True)
    assert "Print labels" in page and '<span class="count">1</span>' in page
    assert "Print labels" not in client_as("manager").get("/queue").get_data(as_text=True)
