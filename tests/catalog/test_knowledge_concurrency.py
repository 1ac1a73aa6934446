"""Two pharmacists adding the same class at the same moment: one is added, the other is told
so in words (never a server error). Runs on SQLite and PostgreSQL."""

from portal.catalog.knowledge.models import DrugClass
from portal.foundation.db import db
from tests.security.concurrency import at_once, signed_in_clients

FORM = {"name": "Bile acid sequestrants", "kind": "drug", "members": "cholestyramine",
        "source": "FDA EPC"}  # fmt: skip


def test_two_terminals_adding_one_class_at_once_add_it_once(app):
    clients = signed_in_clients(app, 2, "pharmacist")
    db.close()
    answers = at_once(
        [lambda c=c: c.post("/inventory/knowledge/classes/new", data=FORM) for c in clients]
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200, 302], codes
    [refused] = [a for a in answers if a.status_code == 200]
    assert "Bile acid sequestrants" in refused.text and (
        "already exists" in refused.text or "just added at another terminal" in refused.text
    )
    assert DrugClass.select().where(DrugClass.key == "bile acid sequestrant").count() == 1
