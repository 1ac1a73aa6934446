"""Owner-only files and folders: the database, its WAL, backups, uploads and keys.

Patient data and the keys that protect the audit trail must not be readable by other
local users (HIPAA Security Rule, 45 CFR 164.312(a)(1) access control; OWASP ASVS V14:
restrictive permissions on data and configuration files). Files are created 0600 and
folders 0700 whatever the process umask; files left group- or world-readable by an older
version are tightened when the portal starts.
"""

import contextlib
import json
import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """Make a folder (and any missing parents) owner-only; an existing folder is left as is
    unless the portal owns it and it is open to others (tighten() does that)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another worker made it just now
            folder.mkdir(mode=FOLDER_MODE)
        os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private(path: Path, data: bytes = b"", exclusive: bool = True) -> None:
    """Create a file with owner-only permissions and write data (refuses to overwrite
    when exclusive)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def replace_private(path: Path, data: dict) -> None:
    """Write JSON to a file atomically (a reader sees the old or the new, never half)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def read_json(path: Path) -> dict | None:
    """A JSON file's contents, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def tighten(path: Path, mode: int) -> None:
    """Take group and other access away from a file or folder the portal owns."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        info = os.stat(path)
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, mode)


def secure_sqlite_file(database_path: str) -> None:
    """Create the SQLite database owner-only before SQLite does (it would use the umask,
    usually 0644), and tighten an existing one with its -wal and -shm files. SQLite gives
    a new -wal, -shm or -journal file the database file's own permissions."""
    if not database_path or database_path == ":memory:":
        return
    path = Path(database_path)
    if not path.exists() and path.parent.is_dir():  # a missing folder stays an error
        with contextlib.suppress(FileExistsError):
            create_private(path)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        tighten(name, FILE_MODE)
