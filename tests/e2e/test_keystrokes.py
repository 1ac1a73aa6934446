"""The counter by keyboard: each task typed as a technician types it, every key counted
(a character typed is one key, Tab and Enter are one each), and the counts printed.

Budgets (issue 18): New Rx intake <= 60 keys for a one-line sig, find a patient <= 12,
print a label from the queue <= 6, pickup of a ready fill <= 12. Waiting for the page is
not a key; clicking is never used.
"""

from decimal import Decimal

from playwright.sync_api import expect

from portal.labels.models import LabelPrint
from portal.prescriptions.fills.models import Fill
from portal.prescriptions.models import Prescription
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_ingredient,
    make_patient,
    make_pharmacy,
    make_prescriber,
    make_prescription,
    make_product,
    make_user,
)
from tests.factories.prescriptions import advance_fill

BUDGETS = {"New Rx intake": 60, "find a patient": 12, "print a label": 6, "pickup": 12}


class Keys:
    """The keyboard, counting: type() counts each character, press() one key."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=30)
        self.count += len(text)

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
        self.count += times

    def settle(self) -> None:
        """Let htmx answer (waiting is not a key)."""
        self.page.wait_for_load_state("networkidle")


def _report(task: str, keys: Keys) -> int:
    print(f"\nkeystrokes: {task}: {keys.count} (budget {BUDGETS[task]})")
    return keys.count


def _counter():
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    patient = make_patient(last_name="Okafor", first_name="Grace")
    prescriber = make_prescriber(last_name="Whitfield", first_name="Ana")
    product = make_product(
        ingredients=[make_ingredient(name="Lisinopril")],
        name="Lisinopril",
        strength="10 mg",
        dosage_form="tablet",
    )
    return technician, patient, prescriber, product


def test_new_rx_intake_by_keyboard(page, live_server):
    page.set_default_timeout(30_000)
    technician, patient, _, _ = _counter()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/prescriptions/new")  # the patient search has the focus
    keys = Keys(page)
    for text in ("okafor", "whitf", "lisino"):
        keys.type(text)
        keys.press("Enter")  # search now; the one match is chosen and focused
        keys.settle()
        expect(page.locator("input[type=radio]:focus")).to_have_count(1)
        keys.press("Tab")  # on to the next lookup
    keys.type("1 tab po qd")
    keys.press("Tab")
    keys.type("30")
    keys.press("Enter")  # send: days supply from the sig, written today, no refills
    keys.settle()
    screenshot(page, "keystrokes-intake-sent")
    expect(page.get_by_text("sent to the pharmacist")).to_be_visible()
    rx = Prescription.get(Prescription.patient == patient.id)
    assert rx.days_supply == 30 and rx.sig == "1 tab po qd" and rx.quantity == Decimal(30)
    assert _report("New Rx intake", keys) <= BUDGETS["New Rx intake"]


def test_find_a_patient_by_keyboard(page, live_server):
    page.set_default_timeout(30_000)
    technician, patient, _, _ = _counter()
    make_patient(last_name="Okamoto", first_name="Ken")
    sign_in(page, live_server, technician)
    keys = Keys(page)
    keys.press("/")  # the top search, from anywhere
    keys.type("okaf")
    keys.press("Enter")
    page.wait_for_url("**/patients/search**")
    link = page.get_by_role("link", name="Okafor, Grace")
    # Tab from the search box to the patient's link
    for _ in range(10):
        if link.evaluate("el => el === document.activeElement"):
            break
        keys.press("Tab")
    keys.press("Enter")
    page.wait_for_url(f"**/patients/{patient.id}")
    assert _report("find a patient", keys) <= BUDGETS["find a patient"]


def _scan_box(page, live_server, keys: Keys, rx_number) -> None:
    page.goto(f"{live_server.url}/queue")
    expect(page.get_by_label("Scan a label or type an Rx number")).to_be_focused()
    keys.type(str(rx_number))
    keys.press("Enter")
    keys.settle()


def _tab_to(page, keys: Keys, locator, limit: int = 40) -> None:
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        keys.press("Tab")
    raise AssertionError(f"{locator} not reached in {limit} Tabs")


def test_print_a_label_from_the_queue_by_keyboard(page, live_server):
    """From the queue's scan box, Tab to "Print labels": the labels page opens on its Print
    button with the labels never printed chosen, and Enter prints them in the page's frame."""
    page.set_default_timeout(30_000)
    technician, patient, prescriber, product = _counter()
    rx = make_prescription(patient=patient, prescriber=prescriber, product=product, user=technician)
    fill = advance_fill(Fill.get(Fill.prescription == rx.id), "fill", technician=technician)
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/queue")
    expect(page.get_by_label("Scan a label or type an Rx number")).to_be_focused()
    keys = Keys(page)
    link = page.get_by_role("link", name="Print labels 1 waiting")
    _tab_to(page, keys, link)
    keys.press("Enter")
    page.wait_for_url("**/labels/batch")
    expect(page.locator(f"#fill-{fill.id}")).to_be_checked()
    expect(page.get_by_role("button", name="Print chosen labels")).to_be_focused()
    with page.expect_response(lambda r: "/labels/batch" in r.url and r.request.method == "POST"):
        keys.press("Enter")
    expect(page.locator("#print-frame-status")).to_be_focused()
    screenshot(page, "keystrokes-label-printed")
    assert LabelPrint.select().where(LabelPrint.fill == fill.id).count() == 1
    assert _report("print a label", keys) <= BUDGETS["print a label"]


def test_pickup_of_a_ready_fill_by_keyboard(page, live_server):
    """Scan or type the Rx number: a ready fill opens at pickup on its defaults."""
    page.set_default_timeout(30_000)
    technician, patient, prescriber, product = _counter()
    rx = make_prescription(patient=patient, prescriber=prescriber, product=product, user=technician)
    fill = advance_fill(Fill.get(Fill.prescription == rx.id), "ready", technician=technician)
    sign_in(page, live_server, technician)
    keys = Keys(page)
    _scan_box(page, live_server, keys, rx.rx_number)  # a ready fill opens at pickup
    page.wait_for_url("**/pickup**")
    for _ in range(30):
        if Fill.get_by_id(fill.id).status == "picked_up":
            break
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.type, !!e.closest('form[action*=pickup], main form:not([action])'),"
            " e.checked]; }"
        )
        kind, in_pickup_form, checked = focused
        if not in_pickup_form:
            kind = "elsewhere"  # the top bar's own buttons (Sign out) are passed by
        if kind == "radio" and not checked or kind == "checkbox" and not checked:
            keys.press("Space")
        elif kind == "submit":
            with page.expect_navigation():
                keys.press("Enter")
            continue
        keys.press("Tab")
    assert Fill.get_by_id(fill.id).status == "picked_up"
    assert _report("pickup", keys) <= BUDGETS["pickup"]
