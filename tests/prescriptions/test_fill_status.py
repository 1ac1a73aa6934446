"""Fill states as one StrEnum, moved by the one transition helper; the acting user and the
co-sign note come in as arguments, so the domain works the same without a request."""

import ast
import threading
from pathlib import Path

import pytest

from portal.audit.models import AuditEvent
from portal.foundation.db import db
from portal.prescriptions.fills import clarifications, steps, workflow
from portal.prescriptions.fills.models import FILL_PROBLEMS, Fill, FillEvent, Verification
from portal.prescriptions.fills.workflow import FillStatus
from tests.factories import advance_fill, make_fill, make_user

ROOT = Path(__file__).resolve().parents[2]
# Domain modules that take the acting user and notes as arguments, never from the request.
DOMAIN_MODULES = (
    "portal/prescriptions/models.py",
    "portal/prescriptions/fills/models.py",
    "portal/prescriptions/fills/steps.py",
    "portal/prescriptions/fills/clarifications.py",
    "portal/prescriptions/intake/entry.py",
    "portal/claims/claims/models.py",
    "portal/claims/claims/actions.py",
)


def test_every_workflow_state_is_a_fill_status_stored_as_its_name(app):
    assert set(workflow.STATES) == set(FillStatus)
    assert set(workflow.PLAIN_STATUS) == set(FillStatus)
    assert all(isinstance(s, FillStatus) for moves in workflow.TRANSITIONS.values() for s in moves)
    fill = make_fill()
    assert fill.status == FillStatus.DATA_VERIFY == "data_verify"
    stored = db.execute_sql(f"SELECT status FROM fill WHERE id = {int(fill.id)}").fetchone()
    assert stored == ("data_verify",)


@pytest.mark.parametrize("path", DOMAIN_MODULES)
def test_domain_modules_do_not_read_the_request(path):
    tree = ast.parse((ROOT / path).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {"flask", "portal.auth.cosign"} & imported, f"{path} reads the request"


def test_the_cosign_note_is_passed_in_for_the_fill_history(app):
    pharmacist = make_user(roles=("pharmacist",), full_name="Pat Ramos")
    fill = advance_fill(make_fill(), "final_verify", pharmacist=pharmacist)
    note = "co-signed by Pat Ramos at Tess Nguyen's terminal"
    verification = steps.approve_final(fill, pharmacist, scan=fill.dispensed_ndc, cosign_note=note)
    event = FillEvent.select().where(FillEvent.fill == fill).order_by(FillEvent.id.desc()).get()
    assert (event.to_status, event.note, verification.note) == ("ready", note, note)
    assert Verification.get_by_id(verification.id).note == note


def test_a_stale_copy_is_refused_from_the_stored_state(app):
    fill = make_fill()
    stale = Fill.get_by_id(fill.id)
    steps.hold(fill, make_user(), "waiting for the patient's insurance card")
    with pytest.raises(workflow.IllegalTransition, match="held while"):
        stale.move_to(FillStatus.FILL, make_user(roles=("pharmacist",)))


def test_two_pharmacists_approving_one_fill_at_once_make_one_move(app):
    fill = make_fill()
    pharmacists = [make_user(roles=("pharmacist",)) for _ in range(2)]
    db.close()
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def terminal(pharmacist):
        with app.app_context():  # a terminal's request runs in the app (the audit key)
            copy = Fill.get_by_id(fill.id)
        start.wait(timeout=10)
        try:
            with app.app_context():
                copy.move_to(FillStatus.FILL, pharmacist)
            outcomes.append("moved")
        except FILL_PROBLEMS as refused:
            outcomes.append(str(refused))
        finally:
            db.close()

    threads = [threading.Thread(target=terminal, args=(p,)) for p in pharmacists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == 2 and outcomes.count("moved") == 1, outcomes
    moves = FillEvent.select().where(
        (FillEvent.fill == fill) & (FillEvent.to_status == FillStatus.FILL)
    )
    assert moves.count() == 1 and Fill.get_by_id(fill.id).status == "fill"


def test_a_clarification_puts_the_fill_on_hold_and_its_answer_resumes_it(app):
    technician = make_user(roles=("technician",), full_name="Tess Nguyen")
    fill = make_fill()
    asked = clarifications.ask(fill, technician, "Is the dose 10 mg or 20 mg?")
    assert Fill.get_by_id(fill.id).status == FillStatus.ON_HOLD
    created = AuditEvent.get(
        (AuditEvent.entity == "clarification") & (AuditEvent.action == "create")
    )
    assert created.actor == "Tess Nguyen"
    resumed = clarifications.record_answer(
        asked,
        technician,
        answer="10 mg",
        answered_by_name="Dr. Lee's nurse",
        fill=fill,
        resume=True,
    )
    assert resumed and Fill.get_by_id(fill.id).status == FillStatus.DATA_VERIFY
    assert not asked.is_open and asked.answered_by_name == "Dr. Lee's nurse"
