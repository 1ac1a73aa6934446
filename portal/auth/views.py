"""Sign in and out with a username and password (which starts a new terminal)."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from portal.audit import log as audit
from portal.auth import pins, terminal
from portal.auth.forms import LoginForm
from portal.auth.models import User
from portal.auth.passwords import check_secret
from portal.foundation.access import login_required, public
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction

bp = Blueprint("auth", __name__)


def start_session(user: User) -> None:
    """Begin a fresh terminal for user: old session data dropped, new terminal id.

    Call inside the write transaction of the sign-in."""
    terminal.start(user)


def safe_next(target: str | None) -> str:
    """Only follow same-site relative paths after sign-in."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("pharmacy.home")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = User.active_by_username(form.username.data)
        if user is not None and user.is_locked(utcnow()):
            form.password.errors.append(pins.account_locked_message(user))
        elif user is not None and check_secret(user.password_hash, form.password.data):
            with write_transaction():
                pins.clear_account_failures(user)
                start_session(user)
                audit.record("login", "user", user.id, user=user)
            return redirect(safe_next(request.args.get("next")))
        else:
            if user is not None and pins.count_account_failure(user, "wrong password"):
                form.password.errors.append(pins.account_locked_message(User.get_by_id(user.id)))
            else:
                form.password.errors.append("Username or password is not right.")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    with write_transaction():
        audit.record("logout", "user", g.user.id)
        terminal.end()
    session.clear()
    flash("Signed out.", "info")
    return redirect(url_for("auth.login"))
