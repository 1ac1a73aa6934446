"""Sign in and out with a username and password (which starts a new terminal)."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from portal.audit import log as audit
from portal.auth import pins, ratelimit, terminal
from portal.auth.forms import LoginForm
from portal.auth.models import User
from portal.auth.passwords import check_secret
from portal.auth.safe_next import same_site_path
from portal.foundation.access import login_required, public
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction

bp = Blueprint("auth", __name__)


def start_session(user: User) -> None:
    """Begin a fresh terminal for user: old session data dropped, new terminal id.

    Call inside the write transaction of the sign-in."""
    terminal.start(user)


def safe_next(target: str | None) -> str:
    """Where to go after signing in or unlocking: a path on this site, else the start page
    (OWASP: unvalidated redirects; see portal.auth.safe_next)."""
    return same_site_path(target) or url_for("pharmacy.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        slot = ratelimit.take_slot(ratelimit.SIGN_IN)
        user = User.active_by_username(form.username.data)
        if not slot.allowed:
            form.password.errors.append(
                _("Too many attempts from this computer. %(refusal)s", refusal=slot.refusal)
            )
            status = 429
        elif user is not None and _password_signs_in(user, form):
            slot.give_back()  # only failures count toward the sign-in limit
            return redirect(safe_next(request.args.get("next")))
        elif user is None:
            form.password.errors.append(_("Username or password is not right."))
    return render_template("auth/login.html", form=form), status


def _password_signs_in(user: User, form: LoginForm) -> bool:
    """Check the lockout and the password and count a failure in one transaction, on the
    account's locked row: parallel guesses are checked one at a time, none past the lock."""
    with write_transaction():
        user = pins.locked_row(User, user.id)
        if user.is_locked(utcnow()):
            form.password.errors.append(pins.account_locked_message(user))
            return False
        if check_secret(user.password_hash, form.password.data):
            pins.clear_account_failures(user)
            start_session(user)
            audit.record("login", "user", user.id, user=user)
            return True
        if pins.count_account_failure(user, "wrong password"):
            form.password.errors.append(pins.account_locked_message(User.get_by_id(user.id)))
        else:
            form.password.errors.append(_("Username or password is not right."))
    return False


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    with write_transaction():
        audit.record("logout", "user", g.user.id)
        terminal.end()
    session.clear()
    flash(_("Signed out."), "info")
    return redirect(url_for("auth.login"))
