"""Compact data verification at the counter screen (1366 × 768): the checks that passed are
one line, problems stand first, Approve stays in view, and the keyboard reaches Approve from
the page load in at most 3 keys."""

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.helpers import sign_in
from tests.factories import (
    make_allergy,
    make_fill,
    make_ingredient,
    make_patient,
    make_pharmacy,
    make_product,
    make_user,
)

KEY_BUDGET = 3


def _screen(page, name):
    """What the counter screen shows (not the full page: the decision bar is sticky)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _counter_page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(10_000)
    return context.new_page()


def test_reaching_approve_takes_at_most_three_keys(live_server, browser):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",))
    fill = make_fill(patient=make_patient(last_name="Okafor", allergy_status="nkda"))
    page = _counter_page(browser)
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{fill.id}/verify-data")

    approve = page.get_by_role("button", name="Approve")
    expect(approve).to_be_in_viewport()  # sticky: no scrolling three screens down
    passed = page.locator(".checks-passed summary")
    expect(passed).to_have_count(1)
    expect(passed).to_contain_text("checks passed")
    expect(page.locator(".check-pass:visible")).to_have_count(0)  # collapsed
    _screen(page, "verify-data-compact")

    keys = 0
    while not approve.evaluate("button => button === document.activeElement"):
        assert keys < KEY_BUDGET, f"Approve not reached in {KEY_BUDGET} keys"
        page.keyboard.press("Tab")
        keys += 1
    page.keyboard.press("Enter")
    keys += 1
    print(f"\nkeys from page load to Approve pressed: {keys} (budget {KEY_BUDGET} to reach it)")
    expect(page.locator(".flash-success")).to_contain_text("verified")
    fill = type(fill).get_by_id(fill.id)
    assert fill.status == "fill"


def test_problems_stand_first_and_the_decision_stays_in_view(live_server, browser):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",))
    patient = make_patient(last_name="Brown")
    make_allergy(patient, "penicillins", kind="class", reaction="anaphylaxis", severity="severe")
    amoxicillin = make_ingredient(name="Amoxicillin", allergen_classes="penicillins")
    product = make_product(ingredients=[amoxicillin], name="Amoxicillin", strength="500 mg")
    fill = make_fill(patient=patient, product=product)
    page = _counter_page(browser)
    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{fill.id}/verify-data")

    first = page.locator(".checks-card .check").first
    expect(first).to_contain_text("BLOCKS")
    expect(first).to_contain_text("Allergies")
    page.mouse.wheel(0, 2000)
    expect(page.get_by_role("button", name="Override and approve")).to_be_in_viewport()
    page.get_by_role("button", name="Override and approve").click()
    reason = page.get_by_label("Reason for overriding the blocking check")
    expect(reason).to_be_focused()  # the first error, not <body>
    _screen(page, "verify-data-blocked")
