"""A scan attached to a prescription form that came back with a message is kept, so the
technician does not choose the file again: the file is stored as usual and the form carries
a signed, expiring note of it (itsdangerous, with the app's secret key), good only for the
user who attached it. A note that is tampered with, too old or someone else's is ignored.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.prescriptions.intake.uploads import StoredFile, path_of

SALT = "mortar.kept-scan"
MAX_AGE_SECONDS = 24 * 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def note_for(stored: StoredFile, user_id: int) -> str:
    return _signer().dumps(
        [
            user_id,
            stored.stored_name,
            stored.original_name,
            stored.content_type,
            stored.size_bytes,
            stored.sha256,
        ]
    )


def read(note: str, user_id: int) -> StoredFile | None:
    if not note or len(note) > 2000:
        return None
    try:
        owner, *fields = _signer().loads(note, max_age=MAX_AGE_SECONDS)
    except (BadSignature, ValueError, TypeError):
        return None
    if owner != user_id or len(fields) != 5:
        return None
    stored = StoredFile(*fields)
    try:
        if not path_of(stored.stored_name).is_file():
            return None
    except FileNotFoundError:
        return None
    return stored
