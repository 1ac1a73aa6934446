"""Anchoring the audit chain outside the database: signed checkpoints and the daily check.

The chain alone shows an edited row, but someone who can write to the database could
delete the newest events, or every event, or rewrite the chain from some row on, and it
would still link up. So (21 CFR 11.10(e): secure, computer-generated audit trails that
cannot obscure earlier entries; NIST SP 800-92 section 4.2: protect log integrity):

- events are hashed with HMAC-SHA256 under a key kept in the instance folder (owner-only,
  never in the database), so rewriting rows needs the key;
- a checkpoint of the chain's head (last event id and hash), event count and time, signed
  with the same key, is kept in the instance folder's audit/checkpoint.json. It is renewed
  on a request at most every AUDIT_CHECKPOINT_MINUTES, by every backup (a copy goes beside
  the backup), and by every check; a new checkpoint is written only after the events since
  the last one check out, so a cut-off or rewritten trail is never signed over;
- `flask audit verify` walks the whole chain and compares it with the last checkpoint;
  a timer runs it daily (README) and the audit page shows the last result.
"""

import contextlib
import datetime
import fcntl
import hashlib
import hmac
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app
from peewee import DatabaseError, fn

from portal.audit.log import ChainCheck, chain_key, record, verify_chain
from portal.audit.models import AuditEvent
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.files import read_json, replace_private

log = logging.getLogger("portal.audit")

CHECKPOINT = "checkpoint.json"
LAST_CHECK = "last-check.json"


@dataclass(frozen=True)
class Checkpoint:
    at: datetime.datetime  # naive UTC
    head_id: int
    head: str
    count: int
    legacy_through: int  # the last event hashed before the chain was keyed (0: none)
    reason: str

    def body(self) -> dict:
        return {**asdict(self), "at": self.at.isoformat(timespec="seconds")}


class CheckpointAltered(Exception):
    """The checkpoint file is not one the portal signed."""


def folder() -> Path:
    return Path(current_app.instance_path) / "audit"


def _signature(key: bytes, body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, b"mortar audit checkpoint\n" + text.encode(), hashlib.sha256).hexdigest()


def signed(checkpoint: Checkpoint) -> dict:
    body = checkpoint.body()
    return {**body, "signature": _signature(chain_key(), body)}


def parse(data: dict | None) -> Checkpoint | None:
    """A checkpoint from its file contents; CheckpointAltered when the signature fails."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise CheckpointAltered("the checkpoint file is not one the portal wrote")
    body = {name: value for name, value in data.items() if name != "signature"}
    if not hmac.compare_digest(str(data.get("signature", "")), _signature(chain_key(), body)):
        raise CheckpointAltered("the checkpoint file's signature does not match (it was altered)")
    return Checkpoint(
        at=datetime.datetime.fromisoformat(body["at"]),
        head_id=int(body["head_id"]),
        head=str(body["head"]),
        count=int(body["count"]),
        legacy_through=int(body["legacy_through"]),
        reason=str(body.get("reason", "")),
    )


def last_checkpoint() -> Checkpoint | None:
    """The last signed checkpoint; None before the first. A file that is there but cannot
    be read counts as altered: emptying it must not silently drop the anchor."""
    path = folder() / CHECKPOINT
    data = read_json(path)
    if data is None and path.exists():
        raise CheckpointAltered("the checkpoint file cannot be read (it was altered)")
    return parse(data)


@contextlib.contextmanager
def _locked():
    """One writer of the checkpoint at a time, across the server's worker processes."""
    fd = open(folder() / "checkpoint.lock", "a")  # noqa: SIM115 - held for the block
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fd.close()


def _legacy_through_from_database() -> int:
    """Before the first checkpoint: the last event hashed without the key (pre-0090)."""
    found = AuditEvent.select(fn.MAX(AuditEvent.id)).where(AuditEvent.keyed == False).scalar()  # noqa: E712
    return found or 0


def _save(result: ChainCheck, legacy_through: int, reason: str) -> Checkpoint:
    checkpoint = Checkpoint(
        at=utcnow().replace(microsecond=0),
        head_id=result.head_id,
        head=result.head,
        count=result.count,
        legacy_through=legacy_through,
        reason=reason,
    )
    replace_private(folder() / CHECKPOINT, signed(checkpoint))
    return checkpoint


def write_checkpoint(reason: str) -> ChainCheck:
    """Check the events since the last checkpoint and, if they are intact, sign the new head.

    A failure is saved as the last check's result (the audit page shows it) and leaves the
    old checkpoint in place, so the damage stays visible to every later check.
    """
    with _locked():
        try:
            previous = last_checkpoint()
        except CheckpointAltered as altered:
            result = ChainCheck().failed(None, str(altered))
        else:
            legacy = previous.legacy_through if previous else _legacy_through_from_database()
            result = verify_chain(chain_key(), since=previous, legacy_through=legacy)
            if result.ok:
                _save(result, legacy, reason)
                return result
    save_result(result, f"checkpoint ({reason})")
    return result


def check(source: str) -> tuple[ChainCheck, Checkpoint | None]:
    """The full check: walk the whole chain against the last checkpoint, save the result,
    then renew the checkpoint. Returns the result and the checkpoint compared against."""
    try:
        checkpoint = last_checkpoint()
    except CheckpointAltered as altered:
        result, checkpoint = ChainCheck().failed(None, str(altered)), None
    else:
        legacy = checkpoint.legacy_through if checkpoint else None
        result = verify_chain(chain_key(), checkpoint, legacy_through=legacy)
    save_result(result, source)
    if result.ok:
        _renew_after_check(result, checkpoint)
    return result, checkpoint


def _renew_after_check(result: ChainCheck, compared: Checkpoint | None) -> None:
    """Sign the head the full walk ended on, unless another worker has signed a checkpoint
    meanwhile (then only the events since that one are walked)."""
    with _locked():
        try:
            unchanged = last_checkpoint() == compared
        except CheckpointAltered:
            unchanged = False
        if unchanged:
            legacy = compared.legacy_through if compared else _legacy_through_from_database()
            _save(result, legacy, "check")
            return
    write_checkpoint("check")


def maybe_checkpoint() -> None:
    """After a request: renew the checkpoint when the last one is older than the interval."""
    minutes = current_app.config.get("AUDIT_CHECKPOINT_MINUTES") or 0
    if minutes <= 0:
        return
    # The lock file's time is the last attempt's, kept even when the attempt found damage,
    # so a broken chain is not walked again on every request.
    attempted = folder() / "checkpoint.lock"
    with contextlib.suppress(FileNotFoundError):
        age = datetime.datetime.now().timestamp() - attempted.stat().st_mtime
        if age < minutes * 60:
            return
    try:
        write_checkpoint("interval")
    except (OSError, DatabaseError) as error:
        # The page the user asked for is not to fail over this; the next interval retries.
        log.warning("could not write the audit checkpoint: %s", error)
    with contextlib.suppress(OSError):
        attempted.touch()


def start_over(reason: str, against: Checkpoint | None = None) -> ChainCheck:
    """After a restore from a backup the trail legitimately ends earlier than the last
    checkpoint: keep the old checkpoint beside (renamed), walk the restored chain (against
    the checkpoint saved with the backup, when there is one) and sign its head. Returns the
    walk's result; on a broken chain nothing new is signed."""
    with _locked():
        path = folder() / CHECKPOINT
        try:
            previous = last_checkpoint()
            earlier = (
                f"{previous.count} events up to event {previous.head_id} "
                f"at {previous.at:%Y-%m-%d %H:%M:%S} UTC"
                if previous
                else "none"
            )
        except CheckpointAltered:
            earlier = "altered (its signature did not match)"
        if path.exists():
            path.rename(folder() / f"checkpoint-before-{utcnow():%Y%m%d-%H%M%S}.json")
        with write_transaction():
            record("start_over", "audit_checkpoint", note=f"{reason}; last checkpoint: {earlier}")
        legacy = against.legacy_through if against else _legacy_through_from_database()
        result = verify_chain(chain_key(), against, legacy_through=legacy)
        if result.ok:
            _save(result, legacy, reason)
    save_result(result, reason)
    return result


def beside(backup: Path) -> Path:
    """Where a backup's checkpoint is kept: BACKUP.checkpoint.json."""
    return backup.with_name(backup.name + ".checkpoint.json")


def keep_beside(backup: Path) -> bool:
    """Copy the last checkpoint beside a backup, so an off-site copy carries the anchor of
    the trail it holds (signed before the copy was taken, so the backup holds at least
    that much). False when there is no checkpoint."""
    data = read_json(folder() / CHECKPOINT)
    if data is None:
        return False
    replace_private(beside(backup), data)
    return True


def checkpoint_beside(backup: Path) -> Checkpoint | None:
    """The checkpoint kept beside a backup (CheckpointAltered when it was altered)."""
    return parse(read_json(beside(backup)))


# ---- the last check's result, for the audit page -----------------------------------------


def save_result(result: ChainCheck, source: str) -> None:
    """Keep the latest result; a scheduled run (the daily command) also keeps its time."""
    previous = read_json(folder() / LAST_CHECK) or {}
    now = utcnow().isoformat(timespec="seconds")
    replace_private(
        folder() / LAST_CHECK,
        {
            "at": now,
            "ok": result.ok,
            "count": result.count,
            "event_id": result.event.id if result.event is not None else None,
            "why": result.why,
            "source": source,
            "command_at": now if source == "command" else previous.get("command_at"),
        },
    )


@dataclass
class LastCheck:
    at: datetime.datetime
    ok: bool
    count: int
    event_id: int | None
    why: str
    source: str
    command_at: datetime.datetime | None  # the last run of `flask audit verify`

    def overdue(self, hours: int) -> bool:
        return self.command_at is None or utcnow() - self.command_at > datetime.timedelta(
            hours=hours
        )


def last_result() -> LastCheck | None:
    data = read_json(folder() / LAST_CHECK)
    if not data:
        return None
    try:
        command_at = data.get("command_at")
        return LastCheck(
            at=datetime.datetime.fromisoformat(data["at"]),
            ok=bool(data["ok"]),
            count=int(data.get("count") or 0),
            event_id=data.get("event_id"),
            why=str(data.get("why", "")),
            source=str(data.get("source", "")),
            command_at=datetime.datetime.fromisoformat(command_at) if command_at else None,
        )
    except (KeyError, TypeError, ValueError):
        return None
