"""Staff change their own PIN and password, proving who they are with their password.

An administrator sets them on the staff page (staff_views.py) when someone has
forgotten theirs; here nobody else needs to know the new one. A wrong current
password counts toward the account's lockout, as at sign-in.
"""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.auth import accounts, pins, ratelimit
from portal.auth.forms import OwnPasswordForm, OwnPinForm
from portal.auth.models import User
from portal.auth.passwords import check_secret
from portal.auth.staff_views import attempt_change
from portal.foundation.access import login_required
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(status=200, **forms):
    forms.setdefault("pin_form", OwnPinForm(formdata=None, prefix="pin"))
    forms.setdefault("password_form", OwnPasswordForm(formdata=None, prefix="password"))
    return render_template("auth/account.html", user=g.user, **forms), status


def _proves_identity(form) -> bool:
    """Whether the form's current password is the acting user's; says why not on the field.

    The lockout is checked and a failure counted in one transaction on the account's locked
    row, so parallel guesses cannot slip past the lock."""
    with write_transaction():
        user = pins.locked_row(User, g.user.id)
        if user.is_locked(utcnow()):
            form.current_password.errors.append(pins.account_locked_message(user))
            return False
        if check_secret(user.password_hash, form.current_password.data):
            pins.clear_account_failures(user)
            return True
        if pins.count_account_failure(user, "wrong password when changing PIN or password"):
            message = pins.account_locked_message(User.get_by_id(user.id))
        else:
            message = _("That is not your current password.")
        form.current_password.errors.append(message)
    return False


@bp.route("/")
@login_required
def index():
    return _page()


@bp.route("/pin", methods=["POST"])
@login_required
def change_pin():
    form = OwnPinForm(prefix="pin")
    change = lambda: accounts.set_pin(g.user, form.pin.data, g.terminal.id)  # noqa: E731
    return _change(form, "pin_form", change, _("Your new PIN works from now on."))


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = OwnPasswordForm(prefix="password")
    change = lambda: accounts.set_password(g.user, form.password.data, g.terminal.id)  # noqa: E731
    done = _(
        "Your password is changed. Use the new one next time you sign in; "
        "your other terminals are signed out."
    )
    return _change(form, "password_form", change, done)


def _change(form, name: str, change, done: str):
    """Make the change once the form is valid and the current password proves who it is;
    else the page again with the form's messages (HTTP 429 when the address is over the
    limit of wrong current passwords)."""
    if not form.validate_on_submit():
        return _page(422, **{name: form})
    slot = ratelimit.take_slot(ratelimit.OWN_ACCOUNT)
    if not slot.allowed:
        message = _("Too many attempts from this computer. %(refusal)s", refusal=slot.refusal)
        form.current_password.errors.append(message)
        return _page(429, **{name: form})
    if not _proves_identity(form):
        return _page(422, **{name: form})
    slot.give_back()  # the password was right: only failures count toward the limit
    if not attempt_change(form, change):
        return _page(422, **{name: form})
    flash(done, "success")
    return redirect(url_for("account.index"))
