"""The counter terminal's own requests: unlock, switch user, lock now, status, activity.

Unlock and switch answer htmx with the fresh PIN form plus out-of-band swaps of the top
bar's acting user and menu, and an `HX-Trigger: terminal-acted` event for terminal.js;
the page underneath (and anything typed in it) is left alone. Without htmx (the full
lock page) they redirect to the page that was asked for.
"""

from flask import current_app, g, jsonify, redirect, render_template, request
from flask_htmx import make_response
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect

from portal.auth import pins, terminal
from portal.auth.forms import PinForm
from portal.auth.safe_next import same_site_path
from portal.auth.views import bp, safe_next
from portal.foundation.access import login_required
from portal.foundation.db import write_transaction
from portal.foundation.extensions import htmx

PIN_KINDS = {"unlock": "unlock", "switch": "switch_user"}


def locked_response():
    """What a locked terminal answers to anything but unlocking (HTTP 423 Locked)."""
    if htmx:
        return make_response("", 423, trigger="terminal-locked", reswap="none")
    if request.accept_mimetypes.best == "application/json":
        return jsonify(locked=True, seconds_left=0), 423
    target = request.full_path if request.method == "GET" else (request.referrer or "")
    form = PinForm(next=_same_site_path(target))
    return render_template("auth/locked.html", form=form, acting_user=None), 423


def _same_site_path(url: str) -> str:
    """The path (and query) of a URL on this site, for returning after unlock."""
    root = request.host_url
    if url.startswith(root):
        url = "/" + url[len(root) :]
    return same_site_path(url.rstrip("?"))


def enforce_lock():
    """before_request: refuse requests at a locked terminal; otherwise note the activity."""
    current = terminal.current()
    if current is None or request.endpoint in terminal.LOCK_EXEMPT:
        return None
    if terminal.check_idle(current):
        return locked_response()
    if not terminal.is_background_request():
        terminal.touch(current)
    return None


def _page_endpoint():
    """The path and blueprint of the page htmx is on (for the menu's current item)."""
    url = request.headers.get("HX-Current-URL", "")
    path = _same_site_path(url).split("?")[0] or "/"
    try:
        endpoint, _ = current_app.url_map.bind("localhost").match(path)
    except (NotFound, RequestRedirect, Exception):  # noqa: BLE001 - any miss: no current item
        return path, None
    return path, endpoint.split(".")[0]


def _pin_entry(kind: str):
    form = PinForm()
    status = 200
    if form.validate_on_submit():
        found = pins.identify(form.pin.data, "unlock" if kind == "unlock" else "switch user")
        if found:
            with write_transaction():
                terminal.act_as(g.terminal, found.user, PIN_KINDS[kind])
            return _acted(kind, form.next.data)
        form.pin.errors.append(found.error)
        status = 429 if found.throttled else 200
    if htmx:  # portal.js swaps a 429 into the PIN form too, so its message shows
        return render_template("auth/_pin_form.html", form=form, kind=kind), status
    if kind == "unlock":
        return render_template("auth/locked.html", form=form, acting_user=None), 423
    return render_template("auth/switch.html", form=form), status


def _acted(kind: str, next_page: str | None):
    if not htmx:
        return redirect(safe_next(next_page))
    if next_page:  # from the full lock page: go where they were going
        return make_response("", 200, redirect=safe_next(next_page))
    path, blueprint = _page_endpoint()
    body = render_template(
        "auth/_terminal_acted.html",
        form=PinForm(formdata=None),
        kind=kind,
        current_path=path,
        current_blueprint=blueprint,
    )
    detail = {"name": g.user.full_name, "seconds_left": terminal.seconds_left(g.terminal)}
    return make_response(body, 200, trigger={"terminal-acted": detail})


@bp.route("/terminal/unlock", methods=["GET", "POST"])
@login_required
def unlock():
    """Unlock with a PIN or badge; whoever unlocks is acting from now on."""
    if request.method == "GET":
        if not g.terminal.locked and not terminal.check_idle(g.terminal):
            return redirect(safe_next(request.args.get("next")))
        return locked_response()
    return _pin_entry("unlock")


@bp.route("/terminal/switch", methods=["GET", "POST"])
@login_required
def switch():
    """Switch the acting user by PIN or badge, keeping the page."""
    if request.method == "GET":
        return render_template("auth/switch.html", form=PinForm(next=request.args.get("next")))
    return _pin_entry("switch")


@bp.route("/terminal/lock", methods=["POST"])
@login_required
def lock_now():
    """Lock the screen now (walking away from the counter)."""
    with write_transaction():
        terminal.lock(g.terminal)
    return locked_response()


@bp.route("/terminal/status")
@login_required
@terminal.background_poll
def terminal_status():
    """For terminal.js: locked or not, and seconds until the idle lock (not activity)."""
    locked = terminal.check_idle(g.terminal)
    return jsonify(
        locked=locked,
        seconds_left=terminal.seconds_left(g.terminal),
        idle_seconds=terminal.idle_seconds(),
    )


@bp.route("/terminal/activity", methods=["POST"])
@login_required
def terminal_activity():
    """terminal.js reports typing or clicking in the page (no request otherwise)."""
    return jsonify(locked=False, seconds_left=terminal.seconds_left(g.terminal))
