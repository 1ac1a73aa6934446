"""The shared counter terminal: who is acting, the idle lock and switching user.

A terminal is one browser session, from a password sign-in to sign-out. The session cookie
holds only a random terminal id (a new one at every sign-in: that is the session-id
rotation); the server keeps the rest in `TerminalSession`: the acting user, the last
activity and whether the screen is locked. So the idle lock (HIPAA 45 CFR
164.312(a)(2)(iii), automatic logoff) is enforced here, not only in the browser: a request
after the idle time is refused until someone unlocks with a PIN or badge, and the cookie of
a signed-out terminal is worth nothing.

What counts as activity: any request, except background ones (below), and the activity
pings that static/js/terminal.js sends while someone types or clicks in a page without
making requests. When the terminal is locked, full-page requests get the lock page (HTTP
423), htmx requests get an empty 423 with `HX-Trigger: terminal-locked` (htmx swaps
nothing, so the page and whatever was typed stay; terminal.js draws the lock screen over
it). Unlocking keeps the page: the next request is made as whoever unlocked.

Background requests (polling) must not keep a terminal awake. Mark them either way:

* in the template, on the polling element (terminal.js also adds the header by itself to
  any htmx request fired by an `every …` trigger)::

      <div hx-get="{{ url_for('prescriptions.queue_counts') }}" hx-trigger="every 30s"
           hx-headers='{"X-Background": "1"}'>

* or on the view, for an endpoint that is only ever polled::

      from portal.auth.terminal import background_poll

      @bp.route("/queue/counts")
      @roles_required("technician", "pharmacist")
      @background_poll
      def queue_counts(): ...

A background request is still refused while the terminal is locked (it would show data
behind the lock screen); it just does not count as someone being there.
"""

import secrets
from datetime import timedelta

from flask import current_app, g, request, session

from portal.audit import log as audit
from portal.auth.models import TerminalSession, User
from portal.foundation import settings
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l

BACKGROUND_HEADER = "X-Background"

settings.define(
    "idle_lock_minutes",
    5,
    _l("Lock an idle terminal after (minutes)"),
    kind="int",
    minimum=1,
    maximum=60,
    help=_l(
        "The counter terminal covers the screen and asks for a PIN after this long "
        "without anyone using it (HIPAA automatic logoff)."
    ),
    area=N_("Staff and security"),
)
settings.define(
    "pin_max_failures",
    5,
    _l("Wrong PINs or passwords before locking"),
    kind="int",
    minimum=3,
    maximum=10,
    area=N_("Staff and security"),
)
settings.define(
    "pin_lock_minutes",
    15,
    _l("Lock after too many wrong PINs for (minutes)"),
    kind="int",
    minimum=1,
    maximum=240,
    area=N_("Staff and security"),
)

# Endpoints a locked terminal may still reach: unlocking, its status, signing out.
LOCK_EXEMPT = {"auth.unlock", "auth.terminal_status", "auth.logout", "auth.login", "static"}


def background_poll(view):
    """Mark a view as polled in the background: its requests never count as activity."""
    view.is_background = True
    return view


def _setting_or_config(key: str, config_key: str) -> int:
    """A pharmacy setting when the admin chose one, else the config value (PORTAL_*)."""
    if settings.is_chosen(key):
        return int(settings.get(key))
    return int(current_app.config.get(config_key) or settings.DEFINITIONS[key].default)


def idle_seconds() -> float:
    """Seconds without activity before the terminal locks.

    IDLE_LOCK_SECONDS (config, used by tests) wins; then the pharmacy's setting; then
    IDLE_LOCK_MINUTES (config or PORTAL_IDLE_LOCK_MINUTES)."""
    override = current_app.config.get("IDLE_LOCK_SECONDS")
    if override:
        return float(override)
    return 60.0 * _setting_or_config("idle_lock_minutes", "IDLE_LOCK_MINUTES")


def pin_max_failures() -> int:
    return _setting_or_config("pin_max_failures", "PIN_MAX_FAILURES")


def pin_lock_minutes() -> int:
    return _setting_or_config("pin_lock_minutes", "PIN_LOCK_MINUTES")


def is_background_request() -> bool:
    if request.headers.get(BACKGROUND_HEADER):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "is_background", False))


def current() -> TerminalSession | None:
    """This request's terminal (set by load()), or None when signed out."""
    return g.get("terminal")


def load() -> None:
    """Put this browser's terminal on g.terminal and its acting user on g.user."""
    g.terminal, g.user = None, None
    terminal = TerminalSession.open(session.get("terminal", ""))
    if terminal is None:
        return
    if not terminal.user.active:
        return
    g.terminal, g.user = terminal, terminal.user


def start(user: User) -> TerminalSession:
    """Begin a new terminal for user after a password sign-in (call inside a transaction).

    Any terminal this browser had is ended and the session data dropped; the new terminal
    id is what rotates the session identifier."""
    end()
    session.clear()
    now = utcnow()
    terminal = TerminalSession.create(
        terminal=secrets.token_hex(16),
        user=user,
        signed_in_by=user,
        started_at=now,
        last_activity=now,
        address=(request.remote_addr or "")[:64],
    )
    session["terminal"] = terminal.terminal
    session.permanent = True
    g.terminal, g.user = terminal, user
    return terminal


def end() -> None:
    """End this browser's terminal (sign-out): its cookie opens nothing any more."""
    terminal_id = session.get("terminal")
    if terminal_id:
        TerminalSession.update(ended_at=utcnow()).where(
            (TerminalSession.terminal == terminal_id) & TerminalSession.ended_at.is_null()
        ).execute()
    g.terminal = None


def seconds_left(terminal: TerminalSession, now=None) -> float:
    """Seconds until the terminal locks (0 when it is locked or past its idle time)."""
    if terminal.locked:
        return 0.0
    elapsed = ((now or utcnow()) - terminal.last_activity).total_seconds()
    return max(0.0, idle_seconds() - elapsed)


def check_idle(terminal: TerminalSession) -> bool:
    """Lock the terminal if its idle time has run out; True when it is (now) locked."""
    if terminal.locked:
        return True
    now = utcnow()
    if seconds_left(terminal, now) > 0:
        return False
    with write_transaction():
        changed = (
            TerminalSession.update(locked=True)
            .where((TerminalSession.id == terminal.id) & (TerminalSession.locked == False))  # noqa: E712
            .execute()
        )
        if changed:
            audit.record(
                "lock",
                "terminal",
                terminal.id,
                note=f"locked after {idle_seconds() / 60:g} idle minutes; "
                f"last activity {terminal.last_activity:%H:%M:%S} UTC",
            )
    terminal.locked = True
    return True


def touch(terminal: TerminalSession) -> None:
    """Record activity now. Written at most every few seconds (one UPDATE, no audit)."""
    now = utcnow()
    resolution = min(15.0, idle_seconds() / 10)
    if (now - terminal.last_activity).total_seconds() < resolution:
        return
    with write_transaction():  # in turn with the server's other writers (db.py)
        TerminalSession.update(last_activity=now).where(
            (TerminalSession.id == terminal.id) & (TerminalSession.locked == False)  # noqa: E712
        ).execute()
    terminal.last_activity = now


def lock(terminal: TerminalSession, reason: str = "locked by hand") -> None:
    """Lock now (the Lock button). Call inside a transaction."""
    TerminalSession.update(locked=True).where(TerminalSession.id == terminal.id).execute()
    terminal.locked = True
    audit.record("lock", "terminal", terminal.id, note=reason)


def act_as(terminal: TerminalSession, user: User, action: str) -> None:
    """Make user the acting user of the terminal and unlock it (call inside a transaction).

    action is "unlock" or "switch_user"; audited with who was acting before."""
    previous = terminal.user
    now = utcnow()
    TerminalSession.update(user=user, locked=False, last_activity=now).where(
        TerminalSession.id == terminal.id
    ).execute()
    terminal.user, terminal.locked, terminal.last_activity = user, False, now
    g.user = user
    if previous.id == user.id:
        note = f"{action.replace('_', ' ')}: same user"
    else:
        note = f"{action.replace('_', ' ')}: from {previous.full_name} (user {previous.id})"
    audit.record(action, "terminal", terminal.id, user=user, note=note)


def end_other_sessions(user: User, keep_id: int | None) -> tuple[int, int]:
    """After a PIN or password change: end every other terminal user signed in to, and lock
    every other terminal where they act by PIN, so an old secret keeps nobody in (OWASP
    ASVS 3.3.3, NIST SP 800-63B 7.1). Returns (ended, locked).

    Call inside the change's transaction *before* writing the user row: PIN entry holds a
    terminal's row and then its opener's (portal.auth.pins), so taking them in the same
    order here cannot deadlock with it."""
    now = utcnow()
    others = TerminalSession.ended_at.is_null() & (TerminalSession.id != (keep_id or 0))
    ended = (
        TerminalSession.update(ended_at=now)
        .where(others & (TerminalSession.signed_in_by == user.id))
        .execute()
    )
    locked = (
        TerminalSession.update(locked=True)
        .where(others & (TerminalSession.user == user.id) & (TerminalSession.locked == False))  # noqa: E712
        .execute()
    )
    return ended, locked


def lockout_until(now=None):
    return (now or utcnow()) + timedelta(minutes=pin_lock_minutes())
