"""Logs: an access line per request in JSON, the request id in a header, slow requests with
their SQL count, rotation in instance/logs/, and no patient data in any of it."""

import json
import logging
import re
from datetime import date
from html.parser import HTMLParser

from portal.auth.models import User
from portal.foundation import demo
from portal.patients.models import Patient
from portal.prescriptions.models import Prescription
from tests.factories import make_patient, sign_in


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _access(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "portal.access"]


def test_each_request_writes_one_access_line_without_query_values(client_as, capsys):
    patient = make_patient(last_name="Quenneville", first_name="Ottoline")
    client = client_as("technician")
    capsys.readouterr()
    response = client.get("/patients/search?q=Quenneville")
    (line,) = _access(_lines(capsys.readouterr().out))
    assert line["method"] == "GET"
    assert line["path"] == "/patients/search"
    assert line["query"] == ["q"]
    assert line["status"] == response.status_code == 200
    assert line["user_id"] == client.user.id
    assert line["duration_ms"] >= 0 and line["sql"] > 0
    assert response.headers["X-Request-ID"] == line["request_id"]
    assert "Quenneville" not in json.dumps(line) and patient.id


def test_a_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(client, capsys):
    kept = client.get("/healthz", headers={"X-Request-ID": "a1b2c3d4e5f6a7b8"})
    assert kept.headers["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    replaced = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"])


def test_a_slow_request_is_logged_with_its_sql_count(make_app, capsys):
    app = make_app(SLOW_REQUEST_MS=-1)  # every request counts as slow
    capsys.readouterr()
    app.test_client().get("/setup")
    (slow,) = [line for line in _lines(capsys.readouterr().out) if line["logger"] == "portal.slow"]
    assert slow["level"] == "WARNING"
    assert slow["message"].startswith("slow request: GET /setup took")
    assert f"with {slow['sql']} SQL queries" in slow["message"]


def test_a_fast_request_is_not_called_slow(client, capsys):
    client.get("/healthz")
    lines = _lines(capsys.readouterr().out)
    assert _access(lines)
    assert not [line for line in lines if line["logger"] == "portal.slow"]


def test_log_files_rotate_in_the_instance_folder(make_app, tmp_path):
    app = make_app(LOG_FILES=True, LOG_FILE_MAX_BYTES=2000, LOG_FILE_COUNT=2)
    client = app.test_client()
    for _ in range(40):
        client.get("/healthz")
    folder = tmp_path / "instance" / "logs"
    assert sorted(p.name for p in folder.iterdir()) == [
        "portal.log",
        "portal.log.1",
        "portal.log.2",
    ]
    assert folder.stat().st_mode & 0o077 == 0  # owner-only, like the rest of the instance
    assert _access(_lines((folder / "portal.log").read_text()))


def test_an_error_is_logged_with_its_stack_but_not_its_message(app, client_as, capsys):
    def explode():
        raise ValueError("Key (last_name)=(Quenneville) already exists")

    app.view_functions["patients.search"] = explode
    client = client_as("technician")
    capsys.readouterr()
    assert client.get("/patients/search").status_code == 500
    output = capsys.readouterr().out
    (error,) = [line for line in _lines(output) if line.get("error")]
    assert error["error"] == "builtins.ValueError"
    assert any("in explode" in frame for frame in error["stack"])
    assert error["request_id"]
    assert "Quenneville" not in output


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "hx-get", "src") and value and value.startswith("/"):
                self.found.append(value)


SKIP = re.compile(r"/logout|/switch|/lock|/static/|delete|/sign-out")


def _crawl(client, start: list[str], limit: int) -> int:
    seen, queue, visited = set(start), list(start), 0
    while queue and visited < limit:
        url = queue.pop(0)
        response = client.get(url)
        visited += 1
        if response.mimetype != "text/html":
            continue
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        for link in parser.found:
            link = link.split("#")[0]
            if link and link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    return visited


def _patient_data() -> set[str]:
    """What would identify a patient or reveal a prescription, as it could appear in text."""
    found = set()
    for patient in Patient.select():
        found.update(n for n in (patient.last_name, patient.first_name) if len(n) >= 4)
        born: date = patient.date_of_birth
        found.update({born.isoformat(), born.strftime("%m/%d/%Y"), born.strftime("%Y%m%d")})
        found.update(d for d in (patient.phone_digits,) if d)
    for prescription in Prescription.select():
        found.update(t for t in (prescription.sig, prescription.directions) if len(t) >= 6)
    return found


def test_a_demo_session_leaves_no_patient_data_in_the_logs(make_app, tmp_path, capsys):
    app = make_app(LOG_FILES=True, SLOW_REQUEST_MS=-1)
    with app.app_context():
        demo.load()
        private = _patient_data()
        names = [p.last_name for p in Patient.select().limit(5)]
        client = app.test_client()
        sign_in(client, User.get(User.username == "paul"))
    assert len(private) > 60
    searches = [f"/patients/search?q={name}" for name in names]
    visited = _crawl(client, ["/", *searches, "/patients/1", "/prescriptions/new"], limit=250)
    assert visited >= 100
    logged = capsys.readouterr().out + (tmp_path / "instance" / "logs" / "portal.log").read_text()
    lines = _lines(logged)
    assert len(_access(lines)) >= visited
    paths = {line["path"] for line in _access(lines)}
    assert any(path.startswith("/patients/") and path[-1].isdigit() for path in paths)
    assert any("label" in path for path in paths), "the crawl never reached a label"
    leaked = sorted(text for text in private if text.lower() in logged.lower())
    assert not leaked, f"patient data in the logs: {leaked[:5]}"


def test_the_sql_count_is_every_statement_the_request_ran(client_as, capsys):
    """Counted by the database, not by peewee's logger: the same number either way."""
    client = client_as("technician")
    seen = []

    class Capture(logging.Handler):
        def emit(self, record):
            if isinstance(record.msg, tuple):
                seen.append(record.msg)

    logger, handler = logging.getLogger("peewee"), Capture()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    capsys.readouterr()
    try:
        client.get("/queue")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    (line,) = _access(_lines(capsys.readouterr().out))
    assert line["sql"] == len(seen) > 3


def test_peewee_logs_nothing_unless_asked(app):
    logger = logging.getLogger("peewee")
    assert not logger.isEnabledFor(logging.DEBUG)  # no record built per statement
    assert logger.propagate is False  # parameters never reach the portal's handlers
