"""The prescriber switches a patient from sertraline to fluoxetine: the pharmacist records
the old prescription as discontinued from its page, and the new one's data verification no
longer warns of duplicate therapy (screening.md: same prescriber, one replaces the other)."""

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import (
    advance_fill,
    make_fill,
    make_ingredient,
    make_pharmacy,
    make_product,
    make_user,
)


def _ssri(name):
    return make_product(
        ingredients=[make_ingredient(name=name.title())], name=name.title(), strength="20 mg"
    )


def test_pharmacist_discontinues_the_old_ssri_and_the_switch_passes(page, live_server):
    make_pharmacy()
    pharmacist = make_user(roles=("pharmacist",), full_name="Paul Okonkwo")
    old = advance_fill(make_fill(product=_ssri("sertraline")), "picked_up").prescription
    new = make_fill(product=_ssri("fluoxetine"), patient=old.patient, prescriber=old.prescriber)

    sign_in(page, live_server, pharmacist)
    page.goto(f"{live_server.url}/fills/{new.id}/verify-data")
    expect(page.get_by_text("are both SSRIs")).to_be_visible()

    page.goto(f"{live_server.url}/rx/{old.rx_number}")
    page.get_by_text("Discontinue this prescription").click()
    page.get_by_role("button", name=f"Discontinue Rx {old.rx_number}").click()
    expect(page.get_by_text("Say why.")).to_be_visible()
    page.get_by_label("Reason").fill("Dr switched to fluoxetine by phone")
    page.get_by_role("button", name=f"Discontinue Rx {old.rx_number}").click()
    expect(page.get_by_text(f"Rx {old.rx_number} discontinued")).to_be_visible()
    expect(page.get_by_text("Dr switched to fluoxetine by phone")).to_be_visible()
    screenshot(page, "rx-discontinued")

    page.goto(f"{live_server.url}/fills/{new.id}/verify-data")
    expect(page.get_by_text("are both SSRIs")).to_have_count(0)
    page.get_by_text("checks passed").click()
    expect(page.get_by_text("which the same prescriber discontinued")).to_be_visible()
    screenshot(page, "rx-switch-verify")
