"""Product scans at final verification that did not match the label: audited."""

from __future__ import annotations

from portal.audit import log as audit
from portal.db import write_transaction


def record_scan_mismatch(fill, scan: str, problem: str, user) -> None:
    """Audit a blocked final-verification scan (what was scanned and why it was refused)."""
    with write_transaction():
        audit.record(
            "scan_mismatch",
            "fill",
            fill.id,
            after={"scan": scan[:60], "problem": problem[:300], "stage": "final"},
            patient_id=fill.patient_id,
            user=user,
        )
