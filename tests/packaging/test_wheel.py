"""The built wheel installs into a fresh virtualenv and runs there: `mortar db upgrade`, then
`mortar serve` answers HTTP, with templates, static files and migrations from the package.

The new venv installs the wheel with --no-deps and reaches its dependencies through a .pth
file naming this venv's site-packages (no download in a test); `pip check` then proves the
wheel's declared dependencies are met by the versions requirements.txt pins. The wheel is
built once per source state and kept in pytest's cache."""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    "pyproject.toml",
    "setup.py",
    "README.md",
    "portal",
    "templates",
    "static",
    "migrations",
    "translations",
)
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def _source_digest() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="module")
def wheel(request, tmp_path_factory) -> Path:
    """The wheel of this source tree, built from a copy of only what the package is made of."""
    cache = Path(request.config.cache.mkdir("mortar-wheel")) / _source_digest()
    built = sorted(cache.glob("mortar-*.whl"))
    if built:
        return built[0]
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORE)
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(cache), str(source)],
        check=True,
        capture_output=True,
    )
    return next(cache.glob("mortar-*.whl"))


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed and this venv's packages visible underneath."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    python = home / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(pip + ["install", "--no-deps", "-q", str(wheel)], check=True)
    checked = subprocess.run(pip + ["check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return home


def _env(instance: Path) -> dict:
    """No PYTHONPATH and no PORTAL_* from the test run: only the installed package counts."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("PORTAL")}
    env["PORTAL_INSTANCE_PATH"] = str(instance)
    return env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, deadline: float) -> tuple[int, bytes, dict]:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


# The compiled Spanish catalog is in the wheel, where the installed package looks for it.
_SPANISH_FROM_THE_PACKAGE = (
    "from portal.foundation.i18n import translations; "
    "from portal.foundation.resources import TRANSLATIONS; "
    "print(TRANSLATIONS); print(translations('es').gettext('Discard after'))"
)


def test_installed_wheel_upgrades_the_database_and_serves(venv, tmp_path):
    instance = tmp_path / "instance"
    mortar = str(venv / "bin" / "mortar")
    where = subprocess.run(
        [venv / "bin" / "python", "-c", "import portal; print(portal.__file__)"],
        cwd=tmp_path,
        env=_env(instance),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), f"portal imported from {where}, not the installed wheel"
    spanish = subprocess.run(
        [venv / "bin" / "python", "-c", _SPANISH_FROM_THE_PACKAGE],
        cwd=tmp_path,
        env=_env(instance),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert spanish[0].startswith(str(venv)) and spanish[1] == "Deseche después de"

    early = subprocess.run(
        [mortar, "serve"], cwd=tmp_path, env=_env(instance), capture_output=True, text=True
    )
    assert early.returncode != 0 and "run `mortar db upgrade`" in early.stderr

    upgraded = subprocess.run(
        [mortar, "db", "upgrade"], cwd=tmp_path, env=_env(instance), capture_output=True, text=True
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert "applied 0001" in upgraded.stdout
    assert (instance / "portal.db").exists()
    again = subprocess.run(
        [mortar, "db", "upgrade"], cwd=tmp_path, env=_env(instance), text=True, capture_output=True
    )
    assert "schema is up to date" in again.stdout

    port = _free_port()
    output = tmp_path / "server.out"
    with open(output, "wb") as out:
        server = subprocess.Popen(
            [mortar, "serve", "--port", str(port)],
            cwd=tmp_path,
            env=_env(instance),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        status, body, _ = _get(f"http://127.0.0.1:{port}/setup", deadline)
        assert status == 200
        assert b"<form" in body  # the first-run setup page, rendered from packaged templates
        status, body, headers = _get(f"http://127.0.0.1:{port}/static/css/portal.css", deadline)
        assert status == 200 and headers["Content-Type"].startswith("text/css")
    finally:
        server.terminate()
        server.wait(timeout=10)
    # Past the banner, every line is one JSON object, and each request is logged once.
    banner, *lines = output.read_text().splitlines()
    assert banner == f"Mortar on http://127.0.0.1:{port}/"
    logged = [json.loads(line) for line in lines if line.strip()]
    assert [e["path"] for e in logged if e.get("logger") == "portal.access"].count("/setup") == 1


def test_every_pinned_requirement_is_inside_the_declared_range():
    declared = {
        Requirement(line).name.lower(): Requirement(line)
        for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    pins = [
        Requirement(line)
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for pin in pins:
        assert pin.name.lower() in declared, f"{pin.name} is pinned but not declared"
        (version,) = [spec.version for spec in pin.specifier]
        assert declared[pin.name.lower()].specifier.contains(version), f"{pin} outside range"
    assert len(pins) == len(declared)
