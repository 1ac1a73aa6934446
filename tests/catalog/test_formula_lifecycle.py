"""A master formula's life cycle goes through the one transition helper: drafted, approved
by a pharmacist, retired; each move audited with its own word, a stale page refused."""

import pytest

from portal.audit.models import AuditEvent
from portal.catalog.formulas.models import Formula, FormulaLocked
from portal.catalog.formulas.rules import FORMULA_MOVES, FormulaStatus
from tests.factories import make_formula, make_user


def test_every_formula_status_has_a_label_and_its_moves():
    assert set(FORMULA_MOVES) == set(FormulaStatus)
    assert [s.label for s in FormulaStatus] == ["Draft", "Approved", "Retired"]
    assert FORMULA_MOVES[FormulaStatus.RETIRED] == frozenset()


def test_approving_a_new_version_audits_the_approval_and_the_retirement(app):
    pharmacist = make_user(roles=("pharmacist",))
    old = make_formula(approved_by=pharmacist)
    draft = old.new_version(make_user())
    draft.approve(pharmacist)  # opens its own transaction
    assert Formula.get_by_id(draft.id).status == "approved"
    assert Formula.get_by_id(old.id).status == "retired"
    retired = AuditEvent.get(
        (AuditEvent.action == "retire") & (AuditEvent.entity_id == str(old.id))
    )
    assert retired.before_data() == {"status": "approved"}
    assert retired.note == f"replaced by version {draft.version}"


def test_a_stale_page_cannot_approve_a_draft_twice(app):
    formula = make_formula()
    stale = Formula.get_by_id(formula.id)
    formula.approve(make_user(roles=("pharmacist",)))
    with pytest.raises(FormulaLocked, match="make a new version"):
        stale.approve(make_user(roles=("pharmacist",)))
    approvals = AuditEvent.select().where(
        (AuditEvent.action == "approve") & (AuditEvent.entity_id == str(formula.id))
    )
    assert approvals.count() == 1


def test_retiring_a_stale_copy_of_a_retired_formula_is_refused_in_words(app):
    formula = make_formula(approved_by=True)
    stale = Formula.get_by_id(formula.id)
    formula.retire(make_user(roles=("pharmacist",)))
    with pytest.raises(FormulaLocked, match="retired cannot become retired"):
        stale.retire(make_user(roles=("pharmacist",)))
