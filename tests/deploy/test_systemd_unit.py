"""deploy/mortar.service as systemd reads it: `systemd-analyze verify` on the unit, with its
/srv/mortar paths pointed at a checkout-shaped folder (the commands it runs must exist)."""

import shutil
import subprocess
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "mortar.service"


def test_the_unit_file_passes_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here (Debian's systemd package has it)")
    home = tmp_path / "srv-mortar"
    (home / ".venv" / "bin").mkdir(parents=True)
    (home / "instance").mkdir()
    flask = home / ".venv" / "bin" / "flask"
    flask.write_text("#!/bin/sh\n")
    flask.chmod(0o755)
    unit = tmp_path / "mortar.service"
    unit.write_text(UNIT.read_text().replace("/srv/mortar", str(home)))
    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "mortar.service" in line or "Unknown" in line or "rror" in line
    ]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr
