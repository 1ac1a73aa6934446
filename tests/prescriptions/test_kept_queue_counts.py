"""The queue tabs' and start page's counts come from fill_count, kept by triggers on fill
(migration 0159): after any sequence of moves each kept count is what a fresh COUNT says."""

import pytest
from flask import g
from peewee import SQL, fn
from playhouse.test_utils import count_queries

from portal.foundation.db import write_transaction
from portal.prescriptions import policy
from portal.prescriptions.fills import queues, steps
from portal.prescriptions.fills.models import Fill, FillCount
from tests.factories import advance_fill, make_fill, make_prescription, make_user


def fresh_counts() -> dict[tuple[str, int], int]:
    """Fills per (status, queue_rank), counted from the fill table itself."""
    rows = Fill.select(Fill.status, Fill.queue_rank, fn.COUNT(SQL("*"))).group_by(
        Fill.status, Fill.queue_rank
    )
    return {(status, rank): n for status, rank, n in rows.tuples()}


def kept_counts() -> dict[tuple[str, int], int]:
    rows = FillCount.select(FillCount.status, FillCount.queue_rank, FillCount.fills)
    return {(status, rank): n for status, rank, n in rows.tuples() if n}


def test_kept_counts_match_a_fresh_count_after_every_kind_of_move(app):
    pharmacist = make_user(roles=("pharmacist",))
    technician = make_user(roles=("technician",))
    fills = [make_fill() for _ in range(6)]
    make_fill(make_prescription(send=False))  # stays in intake
    make_fill(make_prescription(priority="waiting"))  # another rank
    assert kept_counts() == fresh_counts()

    advance_fill(fills[0], "ready", pharmacist, technician)
    advance_fill(fills[1], "final_verify", pharmacist, technician)
    fills[2].move_to("data_entry", pharmacist, reason="wrong sig")  # returned: rank 0
    steps.hold(fills[3], technician, "patient asked to wait")
    steps.cancel(fills[4], technician, "duplicate")
    assert kept_counts() == fresh_counts()
    assert kept_counts()[("data_entry", policy.RETURNED_RANK)] == 1

    steps.resume(fills[3], technician)
    fills[1].move_to("fill", pharmacist, reason="wrong lot")  # returned from final
    advance_fill(fills[2], "fill", pharmacist, technician)  # forward again: its own rank
    Fill.delete().where(Fill.id == fills[5].id).execute()
    assert kept_counts() == fresh_counts()


def test_a_move_rolled_back_leaves_the_kept_count_as_it_was(app):
    technician = make_user(roles=("technician",))
    fill = make_fill()
    before = kept_counts()
    with pytest.raises(RuntimeError), write_transaction():
        steps.hold(fill, technician, "waiting on the doctor")
        assert kept_counts() != before
        raise RuntimeError("the terminal lost power")
    assert kept_counts() == before == fresh_counts()


def test_tabs_and_start_page_show_the_kept_counts_without_counting_fills(app):
    pharmacist = make_user(roles=("pharmacist",))
    technician = make_user(roles=("technician",))
    fills = [make_fill() for _ in range(4)]
    advance_fill(fills[0], "ready", pharmacist, technician)
    fills[1].move_to("data_entry", pharmacist, reason="wrong sig")
    with count_queries() as counted:
        tabs = queues.counts()
    assert len(counted.get_queries()) == 1
    assert "fill_count" in counted.get_queries()[0].msg[0]
    assert (tabs["data_verify"], tabs["data_entry"], tabs["ready"], tabs["fill"]) == (2, 1, 1, 0)

    with app.test_request_context("/"):
        g.user = pharmacist
        lines = {str(line.text): line.count for line in queues.today_lines(pharmacist)}
    assert lines == {
        "returned by a pharmacist": 1,
        "waiting for data verification": 2,
        "ready for pickup": 1,
    }


def test_narrowed_tabs_still_count_the_fills_themselves(app):
    first, second = make_fill(), make_fill()
    narrowed = queues.counts(queues.Filters(patient_ids=(first.patient_id,)))
    assert narrowed["data_verify"] == 1
    assert queues.counts()["data_verify"] == 2
    assert second.status == "data_verify"


def test_kept_counts_are_a_handful_of_rows_whatever_the_number_of_fills(app):
    make_fill()
    rows = FillCount.select().count()
    for _ in range(11):
        make_fill()
    assert FillCount.select().count() == rows
    assert kept_counts()[("data_verify", 2)] == 12
