"""Whatever is typed into the prescriber form: a page with messages or a saved prescriber,
never an error page, and nothing saved when the page says something is wrong."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.audit.models import AuditEvent
from portal.prescribers.models import Prescriber
from tests.prescribers.test_views import GOOD

TYPED = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
FIELDS = [name for name in GOOD if name != "dea_schedules"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    typed=st.dictionaries(st.sampled_from(FIELDS), TYPED, min_size=1, max_size=6),
    schedules=st.lists(st.sampled_from(["2", "2N", "3", "4", "5", "9", ""]), max_size=4),
)
def test_prescriber_form_never_fails_and_saves_nothing_when_invalid(client_as, typed, schedules):
    client = client_as("technician")
    before = Prescriber.select().count(), AuditEvent.select().count()
    response = client.post("/prescribers/new", data={**GOOD, **typed, "dea_schedules": schedules})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert b"Nothing was saved yet" in response.data
        assert Prescriber.select().count() == before[0]
    else:
        Prescriber.delete().execute()  # the next example may reuse the same NPI


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=TYPED)
def test_prescriber_search_and_lookup_never_fail(client_as, q):
    client = client_as("technician")
    assert client.get("/prescribers/", query_string={"q": q}).status_code == 200
    assert client.get("/prescribers/lookup", query_string={"q": q}).status_code == 200
