"""Shared steps for browser tests."""

from pathlib import Path

from tests.factories import DEFAULT_PASSWORD

AXE = Path(__file__).parent / "axe" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => {
    const where = v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ");
    return `${v.id} (${v.impact}): ${v.help} at ${where}`;
  });
}"""


def axe_violations(page) -> list[str]:
    """Every axe-core rule broken on the page as it stands (tests/e2e/axe/). The checker is
    evaluated by the browser's debugging protocol, which the page's CSP does not govern."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return [f"{page.url}: {line}" for line in page.evaluate(RUN_AXE)]


def sign_in(page, live_server, user, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")


def show_the_next_50(page, rows, total: int):
    """Press "Show the next 50" by keyboard, as staff do: the rows grow to ``total``, the
    button goes, and focus lands on the first new row's link (returned)."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Show the next 50").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(total)
    first_new = rows.nth(50).get_by_role("link").first
    expect(first_new).to_be_focused()
    expect(page.locator("#more-row")).to_have_count(0)
    return first_new
