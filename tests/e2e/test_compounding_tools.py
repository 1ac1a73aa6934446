"""Compounding tools in a browser: the cleaning warning, lab logs and the calculations page."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user


def test_technician_cleans_checks_the_balance_and_works_out_a_dilution(page, live_server):
    page.set_default_timeout(30_000)  # a loaded machine is slow, not broken
    make_pharmacy()
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    sign_in(page, live_server, technician)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compounding").click()
    expect(page.get_by_role("alert").filter(has_text="Cleaning overdue.")).to_be_visible()
    screenshot(page, "compounding-home-cleaning-overdue")

    page.get_by_role("link", name="Record a cleaning").click()
    page.get_by_label("Cleaning agent").fill("70% isopropyl alcohol")
    page.get_by_role("button", name="Record cleaning").click()
    expect(page.get_by_text("Cleaning recorded: Work surfaces")).to_be_visible()
    assert page.get_by_text("Cleaning overdue.").count() == 0

    page.get_by_label("Balance", exact=True).fill("B1")
    page.get_by_label("Standard weight").fill("100")
    page.get_by_label("Balance reading").fill("100.3")
    page.get_by_role("button", name="Record balance check").click()
    expect(page.get_by_text("Balance B1 FAILED")).to_be_visible()
    screenshot(page, "compounding-lab-logs")

    page.get_by_role("link", name="Calculations").first.click()
    screenshot(page, "compounding-calc-scale")
    page.get_by_role("link", name="Dilution").click()
    page.wait_for_url("**/calculations/dilution")
    page.get_by_label("Stock strength (C1)").fill("20")
    page.get_by_label("Stock quantity (Q1)").fill("100")
    page.get_by_label("Final strength (C2)").fill("5")
    page.get_by_role("button", name="Work it out").click()
    page.get_by_text("Final quantity (Q2): 400 mL").wait_for()
    assert (
        page.locator(".working")
        .get_by_text("diluent to add: 400 mL − 100 mL = 300 mL")
        .is_visible()
    )
    screenshot(page, "compounding-calc-dilution")

    page.get_by_role("link", name="Scale a formula").click()
    page.get_by_label("Formula makes").fill("100")
    page.get_by_label("Quantity to make").fill("60")
    page.get_by_label("Ingredient, line 1").fill("Hydrocortisone")
    page.get_by_label("Amount per basis, line 1").fill("2.5")
    page.get_by_label("Potency %, line 1").fill("98")
    page.get_by_label("Ingredient, line 2").fill("Cold cream")
    page.get_by_label("Amount per basis, line 2").fill("97.5")
    page.get_by_role("button", name="Work it out").click()
    page.get_by_text("Scaling factor 0.6").wait_for()
    screenshot(page, "compounding-calc-scaled")

    page.get_by_role("link", name="Alligation").click()
    page.get_by_label("Higher strength (%)").fill("10")
    page.get_by_label("Lower strength (%)").fill("1")
    page.get_by_label("Desired strength (%)").fill("20")
    page.get_by_role("button", name="Work it out").click()
    page.get_by_text("That cannot be worked out").wait_for()
    screenshot(page, "compounding-calc-problem")
