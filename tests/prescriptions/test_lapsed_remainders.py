"""A lapsed C-II remainder is voided without a person (21 CFR 1306.13(a): after 72 hours
"the remainder is void and the prescriber is notified"): the hourly job voids it as the
system, writes the prescriber's notice, and leaves a line on the start page; of the job and
a pharmacist voiding at once, one voids and the other is told in words."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest

from portal.audit.models import AuditEvent
from portal.prescriptions.controlled import lapsed, partial
from portal.prescriptions.fills.models import Clarification, Fill
from tests.factories import make_user
from tests.prescriptions.test_partial_fills import _partly_filled
from tests.security.concurrency import at_once


def _lapse(first: Fill, hours: int = 73) -> Fill:
    """The first partial as if it had been filled ``hours`` ago (72 h window: 1306.13(a))."""
    Fill.update(filled_at=first.filled_at - timedelta(hours=hours)).where(
        Fill.id == first.id
    ).execute()
    return Fill.get_by_id(first.id)


def test_the_job_voids_a_lapsed_remainder_as_the_system_with_the_notice(app):
    first, _, _ = _partly_filled()
    _lapse(first)
    done = lapsed.void_lapsed()
    assert [item.rx_fill for item in done] == [first.rx_fill] and done[0].notice_id
    assert Fill.get_by_id(first.id).remainder_voided_at is not None
    notice = Clarification.get_by_id(done[0].notice_id)
    assert notice.asked_by_id is None and notice.fill_id == first.id
    assert "remaining 20 tablets" in notice.question and "1306.13(a)" in notice.question
    void = AuditEvent.get(AuditEvent.action == "void_remainder")
    assert void.user_id is None and void.actor == ""  # the system, shown as such
    assert "daily job" in void.note
    assert lapsed.void_lapsed() == []  # voided once: the next run finds nothing


def test_the_job_leaves_a_remainder_still_in_its_window(app):
    first, _, _ = _partly_filled()
    _lapse(first, hours=71)
    assert lapsed.void_lapsed() == []
    assert Fill.get_by_id(first.id).remainder_voided_at is None
    assert Clarification.select().count() == 0


def test_a_requested_partial_lapses_31_days_after_writing(app):
    """21 USC 829(f): remainders until 30 days after the date written."""
    first, _, _ = _partly_filled(reason="request")
    written = first.prescription.written_on
    late_on_day_30 = datetime.combine(written + timedelta(days=30), time(23, 59))
    assert lapsed.void_lapsed(late_on_day_30) == []
    day_31 = datetime.combine(written + timedelta(days=31), time())
    assert [item.rx_fill for item in lapsed.void_lapsed(day_31)] == [first.rx_fill]


def test_the_start_page_shows_what_the_job_voided_and_the_notice_opens(client_as):
    first, _, _ = _partly_filled()
    _lapse(first)
    pharmacist = client_as("pharmacist")
    assert f"Rx {first.rx_fill}: the partial fill&#39;s remainder has lapsed" in (
        pharmacist.get("/").text
    )
    (done,) = lapsed.void_lapsed()
    start = pharmacist.get("/").text
    assert f"Rx {first.rx_fill}: the partial fill&#39;s remainder lapsed and was voided" in start
    assert f"/clarifications/{done.notice_id}" in start
    assert "has lapsed" not in start
    page = pharmacist.get(f"/clarifications/{done.notice_id}")
    assert page.status_code == 200 and "the portal itself" in page.text


def test_the_command_voids_now_for_cron(app, runner):
    first, _, _ = _partly_filled()
    _lapse(first)
    result = runner.invoke(args=["controlled", "void-lapsed"])
    assert result.exit_code == 0, result.output
    assert f"Rx {first.rx_fill}: remainder voided" in result.output
    assert "1 remainder(s) voided" in result.output
    assert Fill.get_by_id(first.id).remainder_voided_at is not None


def test_the_hourly_pmp_run_voids_lapsed_remainders_too(app):
    from portal.reports.pmp import commands

    first, _, _ = _partly_filled()
    _lapse(first)
    said = commands.send_daily()
    assert f"Rx {first.rx_fill}: remainder voided" in said
    assert Fill.get_by_id(first.id).remainder_voided_at is not None


def test_the_button_still_voids_at_once_for_a_pharmacist(client_as):
    first, _, _ = _partly_filled()
    _lapse(first)
    pharmacist = client_as("pharmacist")
    response = pharmacist.post(f"/fills/{first.id}/remainder/void", data={})
    assert response.status_code == 302 and "/clarifications/" in response.location
    void = AuditEvent.get(AuditEvent.action == "void_remainder")
    assert void.user_id == pharmacist.user.id
    assert lapsed.void_lapsed() == []


def test_the_job_and_a_pharmacist_voiding_at_once_void_once(app):
    first, _, _ = _partly_filled()
    _lapse(first)
    pharmacist = make_user(roles=("pharmacist",))
    now = partial.local_now()

    def job():
        with app.app_context():
            return lapsed.void_lapsed(now)

    def person():
        with app.app_context():
            try:
                return partial.void_remainder(Fill.get_by_id(first.id), pharmacist, now=now)
            except partial.PartialRefused as refused:
                return str(refused)

    by_job, by_person = at_once([job, person])
    assert Clarification.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "void_remainder").count() == 1
    if isinstance(by_person, Clarification):  # the pharmacist first: the job was refused
        assert by_job == [] or "already voided" in by_job[0].refused
    else:
        assert "already voided" in by_person
        assert by_job[0].notice_id


def test_two_pharmacists_voiding_at_once_void_once(app):
    first, _, _ = _partly_filled()
    _lapse(first)
    now = partial.local_now()
    pharmacists = [make_user(roles=("pharmacist",)) for _ in range(2)]

    def press(pharmacist):
        def call():
            with app.app_context():
                try:
                    return partial.void_remainder(Fill.get_by_id(first.id), pharmacist, now=now)
                except partial.PartialRefused as refused:
                    return str(refused)

        return call

    results = at_once([press(p) for p in pharmacists])
    notices = [r for r in results if isinstance(r, Clarification)]
    words = [r for r in results if isinstance(r, str)]
    assert len(notices) == 1 and len(words) == 1 and "already voided" in words[0]
    assert Clarification.select().count() == 1


@pytest.mark.parametrize("hours", [72])
def test_exactly_72_hours_after_the_first_partial_the_remainder_is_void(app, hours):
    """1306.13(a): "within 72 hours"; at 72 h it is no longer within."""
    first, _, _ = _partly_filled()
    filled = partial.local_now(first.filled_at)
    assert lapsed.void_lapsed(filled + timedelta(hours=hours) - timedelta(seconds=1)) == []
    assert len(lapsed.void_lapsed(filled + timedelta(hours=hours))) == 1
    assert Decimal(Fill.get_by_id(first.id).quantity) == Decimal(10)
