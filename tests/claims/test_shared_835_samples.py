"""Every real 835 in ../shared/samples/835/ is read or refused with a reason, never a crash;
each one read imports with every claim line it could not post waiting in the matching queue."""

from datetime import date
from pathlib import Path

import pytest

from portal.claims.remittance import importing
from portal.claims.remittance.era835 import read_remittances
from portal.claims.remittance.models import RemittanceLine
from portal.claims.remittance.values import RemittanceError
from tests.factories import claims_user

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "835"
FILES = sorted(p for p in SAMPLES.glob("*") if p.name != "SOURCES.md") if SAMPLES.exists() else []
# What the reader says of the files it refuses (each is a real defect in the file).
REFUSED = {
    "databricks_835_plb_sample.txt": "does not match ST02",
    "databricks_835_sample.txt": "the file may be cut short or edited",
    "oopfactory_5010_Example1.txt": "does not start with a segment name",
}

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared 835 samples are not mounted at {SAMPLES}"
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_sample_is_read_or_refused_with_a_reason(path):
    if path.name in REFUSED:
        with pytest.raises(RemittanceError, match=REFUSED[path.name]):
            read_remittances(path.read_bytes())
    else:
        assert read_remittances(path.read_bytes())


@pytest.mark.parametrize("path", [p for p in FILES if p.name not in REFUSED], ids=lambda p: p.name)
def test_sample_imports_and_nothing_unposted_goes_missing(app, path):
    text = path.read_bytes().decode("latin-1")
    results = importing.import_file(text, path.name, claims_user(), date(2025, 3, 26))
    lines = sum(len(data.claims) for data in read_remittances(text))
    waiting = RemittanceLine.waiting().count()
    assert RemittanceLine.select().count() == lines
    assert waiting == lines  # no claims in this pharmacy: every line waits for a person
    assert all(result.created for result in results)
