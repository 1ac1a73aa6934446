"""Sending the PMP file by SFTP: a failure is logged on the submission and shown on the
start page, the file is kept; the password is stored owner-only; the daily command."""

import socket
import stat

import pytest

from portal.foundation import settings
from portal.foundation.dates import local_today
from portal.foundation.db import write_transaction
from portal.reports.pmp import commands, submit, upload
from portal.reports.pmp import settings as pmp_settings
from portal.reports.pmp.models import PmpSubmission
from tests.factories import make_pharmacy


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _point_at_nothing():
    with write_transaction():
        settings.put("pmp.sftp_host", "127.0.0.1")
        settings.put("pmp.sftp_port", _closed_port())
        settings.put("pmp.sftp_username", "elm-street")


def test_a_failed_upload_is_logged_shown_on_the_start_page_and_the_file_kept(client_as):
    make_pharmacy()
    _point_at_nothing()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post("/reports/pmp", data={"day": "03/02/2026"}, follow_redirects=True)
    assert "NOT sent" in response.text and "The file is kept" in response.text
    submission = PmpSubmission.get()
    assert submission.result == "failed" and submission.message
    assert submit.file_path(submission).exists()
    start = pharmacist.get("/")
    assert "PMP file for 03/02/2026 not sent" in start.text


def test_upload_without_a_server_is_refused_in_words(app):
    make_pharmacy()
    submission = submit.make_file(local_today(None))
    assert upload.upload(submission) is False
    assert "no SFTP server is set" in PmpSubmission.get_by_id(submission.id).message


def test_the_password_is_stored_owner_only_and_never_shown(client_as):
    make_pharmacy()
    pharmacist = client_as("pharmacist")
    response = pharmacist.post("/reports/pmp/password", data={"password": "s3cret-Pmp!"})
    assert response.status_code == 302
    path = pmp_settings.password_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert pmp_settings.read_password() == "s3cret-Pmp!"
    assert "s3cret-Pmp!" not in pharmacist.get("/reports/pmp").text


def test_daily_command_makes_yesterdays_file_once(app):
    make_pharmacy()
    said = commands.send_daily(force=True)
    assert "no SFTP server is set" in said
    assert commands.send_daily(force=True).endswith("no SFTP server is set, so download it")
    assert PmpSubmission.select().count() == 1


def _serve_to(tmp_path, known: bool = True):
    from tests.reports.sftp_stub import StubServer

    server = StubServer(tmp_path)
    with write_transaction():
        settings.put("pmp.sftp_host", "127.0.0.1")
        settings.put("pmp.sftp_port", server.port)
        settings.put("pmp.sftp_username", server.username)
    pmp_settings.save_password(server.password)
    if known:
        import paramiko

        keys = paramiko.HostKeys()
        name, key = server.known_hosts_line()
        keys.add(name, key.get_name(), key)
        keys.save(str(pmp_settings.known_hosts_path()))
    return server


def test_the_file_is_sent_to_the_state_sftp_server(app, tmp_path):
    make_pharmacy()
    server = _serve_to(tmp_path)
    try:
        submission = submit.make_file(local_today(None))
        assert upload.upload(submission) is True
    finally:
        server.stop()
    sent = tmp_path / submission.stored_name
    assert sent.read_bytes() == submit.file_path(submission).read_bytes()
    stored = PmpSubmission.get_by_id(submission.id)
    assert stored.result == "uploaded" and "127.0.0.1" in stored.message


# The stub server's transport thread ends in EOFError when the client hangs up on it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_unknown_server_key_is_refused(app, tmp_path):
    make_pharmacy()
    server = _serve_to(tmp_path, known=False)
    try:
        submission = submit.make_file(local_today(None))
        assert upload.upload(submission) is False
    finally:
        server.stop()
    assert "host key is not known" in PmpSubmission.get_by_id(submission.id).message
    assert not (tmp_path / submission.stored_name).exists()
