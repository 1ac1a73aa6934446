"""Where the portal's templates, static files, migrations and translations are.

In a source tree they sit at its top (templates/, static/, migrations/, beside portal/), which
`make run` uses; a wheel installs the same folders inside the package (portal/templates, ...;
see setup.py). Either way code asks here rather than counting parent folders.
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def folder(name: str) -> Path:
    """The installed copy inside the package when there is one, else the source tree's."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name


TEMPLATES = folder("templates")
STATIC = folder("static")
MIGRATIONS = folder("migrations")
TRANSLATIONS = folder("translations")
