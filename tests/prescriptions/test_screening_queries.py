"""Screening reads the patient's other fills with their products in one query."""

import logging
from datetime import date

from portal.prescriptions.screening import gather
from tests.factories import make_fill, make_patient, make_product


def _statements(run) -> int:
    seen = []

    class Count(logging.Handler):
        def emit(self, record):
            seen.append(record)

    logger, handler = logging.getLogger("peewee"), Count()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        run()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return len(seen)


def test_other_fills_read_their_products_in_the_same_query(app):
    """Final verification screens against the patient's other fills: as many statements for
    six other fills as for one (their products were read one a fill)."""

    def statements_with(others: int) -> tuple[int, int]:
        patient = make_patient()
        fill = make_fill(patient=patient)
        for _ in range(others):
            make_fill(patient=patient, product=make_product())
        found = []
        count = _statements(lambda: found.extend(gather.other_fills(fill, date.today())))
        return count, len(found)

    (few, one), (many, six) = statements_with(1), statements_with(6)
    assert (one, six) == (1, 6)
    assert many == few
