"""Open redirect and header injection through `next=` (issue 17, items 5 and 8)."""

import pytest

from portal.auth.safe_next import same_site_path
from tests.factories import DEFAULT_PASSWORD, make_user

# What a browser reads as another site once it has dropped tabs and newlines, stripped
# spaces and control characters, and turned backslashes into slashes (WHATWG URL).
OFF_SITE = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/%5Cevil.example",
    "/%5C/evil.example",
    "/%09%09/evil.example",
]


def _location(response):
    return response.headers.get("Location", "")


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_sends_the_browser_to_another_site(client, target):
    user = make_user(roles=("technician",))
    response = client.post(
        f"/login?next={target}", data={"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert _location(response) == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_unlock_never_sends_the_browser_to_another_site(client_as, target):
    technician = client_as("technician")
    response = technician.get(f"/terminal/unlock?next={target}")
    assert response.status_code == 302
    assert _location(response) == "/"


def test_a_newline_in_next_after_sign_in_is_no_server_error(client):
    user = make_user(roles=("technician",))
    response = client.post(
        "/login?next=/patients/%0d%0aSet-Cookie:%20x=1",
        data={"username": user.username, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert _location(response) == "/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")
    # while a page of this site is still where sign-in returns
    response = client.post(
        "/login?next=/patients/%3Fq%3DSmith%26page%3D2",
        data={"username": user.username, "password": DEFAULT_PASSWORD},
    )
    assert _location(response) == "/patients/?q=Smith&page=2"


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/fills/3", "/fills/3"),
        ("/patients/?q=Ann Lee", "/patients/?q=Ann Lee"),
        ("//evil.example", ""),
        ("https://evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("/\t/evil.example", ""),
        ("/\\evil.example", ""),
        (" /fills/3", ""),
        ("/fills/3\x00", ""),
        ("/" + "a" * 3000, ""),
        ("", ""),
        (None, ""),
    ],
)
def test_same_site_path_keeps_only_paths_of_this_site(target, kept):
    assert same_site_path(target) == kept
