"""Scans and photos of original prescriptions, kept in the instance folder.

Only JPEG, PNG and PDF are accepted, recognised by their first bytes (not by the name or
the browser's word for it), up to the pharmacy's size limit. Files are stored under a
random name in instance/uploads/prescriptions/, never under a path a user typed, and are
served only to signed-in staff (views: prescriptions.image).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from portal.foundation.files import private_folder
from portal.foundation.i18n import lazy_gettext as _l

# Magic bytes -> (content type, extension).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)
ACCEPTED_WORDS = _l("a JPEG or PNG photo, or a PDF scan")


class UploadRefused(ValueError):
    """The file cannot be kept; the message says why in words."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from a file's first bytes, or None when not accepted."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def folder() -> Path:
    # Owner-only folders (uploads/ too): the scans are patient records.
    return private_folder(Path(current_app.instance_path) / "uploads" / "prescriptions")


def path_of(stored_name: str) -> Path:
    """Where a stored file lives; refuses anything but a plain stored name."""
    if not stored_name or "/" in stored_name or "\\" in stored_name or stored_name[0] == ".":
        raise FileNotFoundError(stored_name)
    return folder() / stored_name


def store(upload, max_bytes: int) -> StoredFile:
    """Check and keep an uploaded file (a werkzeug FileStorage); raise UploadRefused."""
    data = upload.stream.read(max_bytes + 1)
    if not data:
        raise UploadRefused(_("The file is empty. Scan or photograph the prescription again."))
    if len(data) > max_bytes:
        raise UploadRefused(
            _(
                "The file is larger than %(megabytes)s MB. "
                "Scan at a lower resolution or as a JPEG.",
                megabytes=max_bytes // (1024 * 1024),
            )
        )
    kind = sniff(data[:16])
    if kind is None:
        raise UploadRefused(_("This file is not %(accepted)s.", accepted=ACCEPTED_WORDS))
    content_type, extension = kind
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    target = folder() / stored_name
    # Exclusive create, owner-only: another upload never overwrites it.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    original = os.path.basename((upload.filename or "").replace("\\", "/"))[:200]
    return StoredFile(
        stored_name=stored_name,
        original_name=original,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def discard(stored: StoredFile) -> None:
    """Remove a file kept for a record that was then not saved."""
    with contextlib.suppress(FileNotFoundError):
        (folder() / stored.stored_name).unlink()
