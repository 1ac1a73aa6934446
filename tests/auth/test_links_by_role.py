"""No page links a person to a page their role cannot open (a 403 is a dead end at the
counter): the demo pharmacy walked as its technician, pharmacist, manager and admin."""

from portal.auth.models import User
from tests.factories import sign_in
from tests.walk import walk


def test_no_page_links_to_a_page_the_role_cannot_open(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    refused = {}
    for username in ("tina", "paul", "maria", "adam"):
        client = bare_app.test_client()
        sign_in(client, User.get(User.username == username))
        refused[username] = walk(client)[1]
    assert refused == {"tina": [], "paul": [], "maria": [], "adam": []}
