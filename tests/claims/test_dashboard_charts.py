"""Dashboard charts: old aging buckets stay visible, rejection rates carry their counts.

portal.reports.claims.charts is imported inside each test: pygal installs an import hook without
find_spec, and importing it while pytest collects breaks the collection of later packages."""

import re
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Bucket:
    label: str
    count: int
    amount: Decimal


@dataclass
class Payer:
    name: str
    claims: int
    rejected: int
    rejection_rate: Decimal


BAR = re.compile(r'<rect x="[\d.]+" y="[\d.]+" rx="0" ry="0" width="[\d.]+" height="([\d.]+)"')


def test_a_small_old_bucket_is_not_a_sliver_and_says_its_count():
    from portal.reports.claims.charts import aging_chart

    svg = aging_chart(
        [
            Bucket("0–30", 9, Decimal("1100.26")),
            Bucket("31–60", 2, Decimal("23.65")),
            Bucket(">120", 0, Decimal("0")),
        ]
    )
    heights = [float(h) for h in BAR.findall(svg)]
    assert len(heights) == 2, heights
    assert min(heights) > max(heights) / 3  # linear would be 2% of the tallest
    assert "$24 · 2 claims" in svg and "$1,100 · 9 claims" in svg
    assert "<script" not in svg


def test_rejection_rates_name_their_counts():
    from portal.reports.claims.charts import rejection_chart

    svg = rejection_chart([Payer("Heartland Blue PPO", 4, 2, Decimal("50.0"))])
    assert "Heartland Blue PPO (2 of 4)" in svg


def test_nothing_outstanding_says_so():
    from portal.reports.claims.charts import aging_chart

    assert "Nothing outstanding" in aging_chart([Bucket("0–30", 0, Decimal("0"))])


def test_a_drawing_is_kept_for_the_same_numbers_and_redrawn_when_they_change(monkeypatch):
    from portal.reports.claims import charts

    drawn = []
    real = charts._chart

    def counting(kind, **options):
        drawn.append(kind)
        return real(kind, **options)

    monkeypatch.setattr(charts, "_chart", counting)
    monkeypatch.setattr(charts, "_kept", type(charts._kept)())
    rows = [Bucket("0–30", 9, Decimal("1100.26")), Bucket("31–60", 2, Decimal("23.65"))]
    first = charts.aging_chart(rows)
    again = charts.aging_chart([Bucket("0–30", 9, Decimal("1100.26")), *rows[1:]])
    assert again == first and len(drawn) == 1
    changed = charts.aging_chart([Bucket("0–30", 9, Decimal("1100.27")), *rows[1:]])
    assert len(drawn) == 2 and changed != first
    assert "$1,100" in changed
