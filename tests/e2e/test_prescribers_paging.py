"""The prescribers list comes 50 at a time by last name: "Next 50" and "Previous 50" swap
only the results (the address follows, so Back and a reload land on the same page), focus
goes to the page's first prescriber, the search narrows every page, and the same links
work as plain links without script."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import axe_violations, sign_in
from tests.factories import make_pharmacy, make_prescriber, make_user


def _prescribers():
    """120 prescribers, "Abbott000" to "Abbott109" in name order, two to a name from 100 on
    (the id keeps them apart); and a retired one, hidden unless asked."""
    made = []
    for n in range(110):
        made.append(make_prescriber(last_name=f"Abbott{n:03d}", first_name="Ana"))
        if n >= 100:
            made.append(make_prescriber(last_name=f"Abbott{n:03d}", first_name="Ana"))
    make_prescriber(last_name="Zeller", first_name="Retired", active=False)
    return made


def test_staff_page_forward_and_back_through_the_prescribers(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    prescribers = _prescribers()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/prescribers/")
    results = page.locator("#prescriber-results")
    rows = results.locator("tbody tr")
    pages = results.get_by_role("navigation", name="Pages of prescribers")
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Abbott000, Ana")
    expect(pages.get_by_role("link", name="Previous 50")).to_have_count(0)

    pages.get_by_role("link", name="Next 50").click()
    expect(rows.first).to_contain_text("Abbott050, Ana")
    expect(rows.first.get_by_role("link")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"after={prescribers[49].id}"))
    expect(page.locator("h1")).to_have_count(1)  # only the results were swapped
    screenshot(page, "prescribers-second-page")

    pages.get_by_role("link", name="Next 50").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(20)  # 100 to 109, two of each name
    expect(rows.first).to_contain_text("Abbott100, Ana")
    expect(rows.last).to_contain_text("Abbott109, Ana")
    expect(pages.get_by_role("link", name="Next 50")).to_have_count(0)
    expect(results).not_to_contain_text("Zeller")
    screenshot(page, "prescribers-last-page")
    assert axe_violations(page) == []

    pages.get_by_role("link", name="Previous 50").click()
    expect(rows.first).to_contain_text("Abbott050, Ana")
    expect(rows.last).to_contain_text("Abbott099, Ana")
    page.go_back()  # the address went with each page: Back is the page before
    expect(rows.first).to_contain_text("Abbott100, Ana")
    page.reload()
    expect(rows.first).to_contain_text("Abbott100, Ana")
    pages.get_by_role("link", name="First").click()
    expect(rows.first).to_contain_text("Abbott000, Ana")
    expect(pages.get_by_role("link", name="Previous 50")).to_have_count(0)


def test_the_search_narrows_the_pages_and_starts_again_at_the_first(page, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    _prescribers()
    sign_in(page, live_server, technician)
    page.goto(f"{live_server.url}/prescribers/")
    results = page.locator("#prescriber-results")
    rows = results.locator("tbody tr")
    pages = results.get_by_role("navigation", name="Pages of prescribers")
    pages.get_by_role("link", name="Next 50").click()
    expect(rows.first).to_contain_text("Abbott050, Ana")

    page.get_by_label("Find by name, NPI or DEA number").fill("abbott1")
    expect(rows.first).to_contain_text("Abbott100, Ana")  # a new search: its first page
    expect(rows).to_have_count(20)
    expect(pages).to_have_count(0)  # one page: no links to other pages
    expect(page).not_to_have_url(re.compile("after="))

    page.get_by_label("Find by name, NPI or DEA number").fill("")
    page.get_by_label("Include inactive").check()
    expect(rows).to_have_count(50)
    pages.get_by_role("link", name="Next 50").click()
    pages.get_by_role("link", name="Next 50").click()
    expect(rows.last).to_contain_text("Zeller, Retired")
    expect(rows.last).to_contain_text("inactive")
    expect(page).to_have_url(re.compile(r"inactive=1"))
    screenshot(page, "prescribers-search-inactive")


def test_the_page_links_work_without_script(browser, live_server):
    make_pharmacy()
    technician = make_user(roles=("technician",))
    _prescribers()
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, live_server, technician)
        page.goto(f"{live_server.url}/prescribers/?q=abbott0")
        rows = page.locator("#prescriber-results tbody tr")
        pages = page.get_by_role("navigation", name="Pages of prescribers")
        expect(rows).to_have_count(50)
        pages.get_by_role("link", name="Next 50").click()
        expect(rows).to_have_count(50)
        expect(rows.first).to_contain_text("Abbott050, Ana")
        expect(page).to_have_url(re.compile(r"q=abbott0"))
        pages.get_by_role("link", name="Previous 50").click()
        expect(rows.first).to_contain_text("Abbott000, Ana")
    finally:
        context.close()
