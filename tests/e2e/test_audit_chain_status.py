"""The audit page in a real browser shows the last check of the audit chain: never checked,
intact after the daily command, broken after the newest events were deleted."""

from playwright.sync_api import expect

from portal.audit.models import AuditEvent
from tests.e2e.conftest import screenshot
from tests.e2e.helpers import sign_in
from tests.factories import make_pharmacy, make_user


def test_manager_sees_the_last_check_of_the_chain(page, live_server):
    make_pharmacy()
    manager = make_user(roles=("manager",), full_name="Maria Lopez")
    sign_in(page, live_server, manager)
    page.get_by_role("link", name="Audit trail").first.click()
    expect(page.get_by_text("The audit trail has never been checked")).to_be_visible()
    screenshot(page, "audit-chain-never-checked")

    runner = live_server.app.test_cli_runner()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    page.reload()
    expect(page.get_by_text("Last check of the audit trail")).to_be_visible()
    screenshot(page, "audit-chain-intact")

    newest = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    AuditEvent.delete().where(AuditEvent.id == newest.id).execute()
    page.get_by_role("button", name="Check the chain").click()
    expect(page.locator(".banner-bad")).to_contain_text("events were deleted")
    screenshot(page, "audit-chain-broken")
