"""Shared steps for browser tests."""

from tests.factories import DEFAULT_PASSWORD


def sign_in(page, live_server, user, password: str = DEFAULT_PASSWORD) -> None:
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
