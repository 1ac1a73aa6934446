"""The pharmacy's calendar date is the same in a request and in a command or daily job."""

import pytest

from portal.foundation import dates
from tests.factories import make_pharmacy

# 25 hours apart: at any moment the two zones are on different dates, so each test can fail.
AHEAD, BEHIND = "Pacific/Kiritimati", "Pacific/Pago_Pago"


@pytest.mark.parametrize("zone,other", [(AHEAD, BEHIND), (BEHIND, AHEAD)])
def test_outside_a_request_today_is_the_stored_pharmacys_date(bare_app, zone, other):
    make_pharmacy(time_zone=zone)
    assert dates.today() == dates.local_today(zone) != dates.local_today(other)


@pytest.mark.parametrize("zone,other", [(AHEAD, BEHIND), (BEHIND, AHEAD)])
def test_in_a_request_today_is_the_pharmacys_date(bare_app, zone, other):
    make_pharmacy(time_zone=zone)
    with bare_app.test_request_context("/"):
        bare_app.preprocess_request()
        assert dates.today() == dates.local_today(zone) != dates.local_today(other)
