"""A lookup's late answer (the typing's delayed search landing after the technician already
chose) keeps the choice: on a loaded counter the drug once came back unchosen and the
prescription was refused for having no drug."""

from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import make_ingredient, make_pharmacy, make_product, make_user


def test_a_late_lookup_answer_keeps_the_drug_chosen(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    for strength in ("250 mg", "500 mg"):
        make_product(
            ingredients=[make_ingredient(name=f"Amoxicillin {strength}")],
            name="Amoxicillin",
            strength=strength,
        )
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/prescriptions/new")
    page.get_by_label("Find the product or compounding formula").fill("amoxi")
    choices = page.locator("#drug-choices input[type=radio]")
    expect(choices).to_have_count(2)
    choices.nth(1).check()

    # The same search answers again, as a delayed one would.
    with page.expect_response(lambda r: "/prescriptions/drug-lookup" in r.url):
        page.evaluate("htmx.trigger('#drug-q', 'search')")
    page.wait_for_function("!document.querySelector('#drug-q.htmx-request')")
    expect(page.locator("#drug-choices input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator("#drug-choices input[type=radio]:checked")).to_have_count(1)
