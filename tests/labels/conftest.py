"""Label tests render with a plain Jinja environment, as the app passes its own."""

from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(scope="session")
def jinja_env() -> Environment:
    """Autoescape off, as a bare Environment has it: the label templates escape for
    themselves (test_names_are_printed_as_written_not_as_markup)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])  # noqa: S701
    # The staff words of a printed page (the calibration label) in English, as the app has them.
    env.install_null_translations(newstyle=True)
    return env
