"""A patient's preferred language set to Spanish on the patient form makes the label print
its directions in Spanish; the print page shows the stock and the label PDF carries them."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import advance_fill, make_fill, make_pharmacy, make_user
from tests.labels.pdfcheck import compact, page_texts


def test_a_spanish_speaking_patient_gets_spanish_directions(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    fill = advance_fill(make_fill(), "fill")
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/patients/{fill.patient_id}/edit")
    page.get_by_label("Preferred language").fill("Spanish")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Spanish")).to_be_visible()

    page.goto(f"{live_server.url}/labels/fills/{fill.id}")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Print label").click()
    assert answer.value.headers["content-type"] == "application/pdf"
    expect(page.locator("#print-frame-box")).to_be_visible()
    screenshot(page, "labels-spanish-print")
    # The frame shows Chromium's viewer, not the file: read the label again as a reprint
    # from this browser's session, as the viewer's "save" would give it.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    again = page.request.post(
        f"{live_server.url}/labels/fills/{fill.id}",
        form={"csrf_token": token, "copies": "1", "reprint_reason": "Reading the label"},
    )
    assert again.headers["content-type"] == "application/pdf"
    text = compact(page_texts(again.body())[0])
    assert compact("Tome 1 cápsula por vía oral tres veces al día durante 10 días") in text
    assert compact("Amoxicillin") in text
    # The label's fixed words are Spanish too; the Rx number is as for anyone.
    for words in ("Surtido original", "Deseche después de", "Cant.:", "Recetado por:"):
        assert compact(words) in text, words
    assert compact(f"Rx {fill.prescription.rx_number}") in text
