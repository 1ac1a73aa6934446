"""Admin pages for staff accounts: list, add, edit, PIN, badge, password, (de)activate, and
the terminal's security settings. Every change goes through portal.auth.accounts (audited)."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from playhouse.flask_utils import get_object_or_404

from portal.auth import accounts, terminal
from portal.auth.forms import (
    BadgeForm,
    NewStaffForm,
    PasswordResetForm,
    PinResetForm,
    ProfileForm,
    SecuritySettingsForm,
)
from portal.auth.models import User
from portal.foundation import settings
from portal.foundation.access import roles_required
from portal.foundation.dates import utcnow
from portal.foundation.db import write_transaction
from portal.foundation.forms import EmptyForm

bp = Blueprint("staff", __name__, url_prefix="/admin/staff")

SECURITY_SETTINGS = ("idle_lock_minutes", "pin_max_failures", "pin_lock_minutes")


def attempt_change(form, change) -> bool:
    """Run an account change; put an AccountError's message on the form field it names."""
    try:
        change()
    except accounts.AccountError as error:
        target = getattr(form, error.field, None) if error.field else None
        if target is not None:
            target.errors = [*target.errors, _(str(error))]
        else:
            flash(_(str(error)), "error")
        return False
    return True


@bp.route("/")
@roles_required("admin")
def index():
    return render_template("staff/index.html", users=list(User.staff_list()), now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def create():
    form = NewStaffForm()
    if form.validate_on_submit():
        created = {}

        def change():
            created["user"] = accounts.create_user(
                form.username.data,
                form.full_name.data,
                form.roles.data,
                form.password.data,
                form.pin.data or None,
                initials=form.initials.data,
                last_name=form.last_name.data,
                first_name=form.first_name.data,
            )

        if attempt_change(form, change):
            flash(
                _("%(full_name)s can now sign in.", full_name=created["user"].full_name), "success"
            )
            return redirect(url_for("staff.edit", user_id=created["user"].id))
    return render_template("staff/new.html", form=form), 422 if form.errors else 200


def _profile(user) -> dict:
    return {
        "full_name": user.full_name,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "initials": user.initials,
        "roles": sorted(user.role_set),
    }


def _edit_page(user, status=200, **forms):
    forms.setdefault("profile_form", ProfileForm(formdata=None, data=_profile(user)))
    forms.setdefault("pin_form", PinResetForm(formdata=None))
    forms.setdefault("badge_form", BadgeForm(formdata=None))
    forms.setdefault("password_form", PasswordResetForm(formdata=None))
    return (
        render_template(
            "staff/edit.html", user=user, action_form=EmptyForm(), now=utcnow(), **forms
        ),
        status,
    )


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit(user_id):
    user = get_object_or_404(User, User.id == user_id)
    form = ProfileForm(data=_profile(user))
    said = []  # what the areas a name goes to say of it (User.after_name_change)
    if form.validate_on_submit() and attempt_change(
        form,
        lambda: said.extend(
            accounts.update_profile(
                user,
                form.full_name.data,
                form.initials.data,
                form.roles.data,
                last_name=form.last_name.data,
                first_name=form.first_name.data,
            )
        ),
    ):
        flash(_("Name and roles saved."), "success")
        for sentence in said:
            flash(sentence, "info")
        return redirect(url_for("staff.edit", user_id=user.id))
    return _edit_page(user, 422 if form.errors else 200, profile_form=form)


@bp.route("/<int:user_id>/pin", methods=["POST"])
@roles_required("admin")
def reset_pin(user_id):
    user = get_object_or_404(User, User.id == user_id)
    form = PinResetForm()
    if form.validate_on_submit() and attempt_change(
        form, lambda: accounts.set_pin(user, form.pin.data, g.terminal.id)
    ):
        flash(_("New PIN set for %(full_name)s.", full_name=user.full_name), "success")
        return redirect(url_for("staff.edit", user_id=user.id))
    return _edit_page(user, 422, pin_form=form)


@bp.route("/<int:user_id>/badge", methods=["POST"])
@roles_required("admin")
def set_badge(user_id):
    user = get_object_or_404(User, User.id == user_id)
    form = BadgeForm()
    if form.validate_on_submit() and attempt_change(
        form, lambda: accounts.set_badge(user, form.badge.data)
    ):
        flash(_("Badge assigned to %(full_name)s.", full_name=user.full_name), "success")
        return redirect(url_for("staff.edit", user_id=user.id))
    return _edit_page(user, 422, badge_form=form)


@bp.route("/<int:user_id>/badge/remove", methods=["POST"])
@roles_required("admin")
def remove_badge(user_id):
    user = get_object_or_404(User, User.id == user_id)
    if EmptyForm().validate_on_submit():
        accounts.set_badge(user, None)
        flash(_("%(full_name)s's badge no longer works.", full_name=user.full_name), "success")
    return redirect(url_for("staff.edit", user_id=user.id))


@bp.route("/<int:user_id>/password", methods=["POST"])
@roles_required("admin")
def reset_password(user_id):
    user = get_object_or_404(User, User.id == user_id)
    form = PasswordResetForm()
    if form.validate_on_submit() and attempt_change(
        form, lambda: accounts.set_password(user, form.password.data, g.terminal.id)
    ):
        flash(
            _("New password set for %(full_name)s. Tell them in person.", full_name=user.full_name),
            "success",
        )
        return redirect(url_for("staff.edit", user_id=user.id))
    return _edit_page(user, 422, password_form=form)


@bp.route("/<int:user_id>/active", methods=["POST"])
@roles_required("admin")
def toggle_active(user_id):
    user = get_object_or_404(User, User.id == user_id)
    if EmptyForm().validate_on_submit() and attempt_change(
        None, lambda: accounts.set_active(user, not user.active)
    ):
        state = _("reactivated") if not user.active else _("deactivated and signed out everywhere")
        flash(_("%(full_name)s is %(state)s.", full_name=user.full_name, state=state), "success")
    return redirect(url_for("staff.edit", user_id=user.id))


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock(user_id):
    user = get_object_or_404(User, User.id == user_id)
    if EmptyForm().validate_on_submit():
        accounts.unlock_account(user)
        flash(
            _("%(full_name)s can sign in and use their PIN again.", full_name=user.full_name),
            "success",
        )
    return redirect(url_for("staff.edit", user_id=user.id))


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def security_settings():
    current = {
        "idle_lock_minutes": max(1, round(terminal.idle_seconds() / 60)),
        "pin_max_failures": terminal.pin_max_failures(),
        "pin_lock_minutes": terminal.pin_lock_minutes(),
    }
    form = SecuritySettingsForm(data=current)
    if form.validate_on_submit():
        with write_transaction():
            for key in SECURITY_SETTINGS:
                settings.put(key, getattr(form, key).data)
        flash(_("Security settings saved. They apply from the next request."), "success")
        return redirect(url_for("staff.security_settings"))
    return render_template("staff/settings.html", form=form), 422 if form.errors else 200
