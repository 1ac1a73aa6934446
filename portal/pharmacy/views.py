"""Home, first-run setup, pharmacy details and the health check."""

from flask import flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from peewee import PeeweeException

from portal.audit import log as audit
from portal.auth.accounts import name_parts
from portal.auth.models import User
from portal.auth.passwords import hash_secret, lookup_digest
from portal.auth.views import start_session
from portal.foundation import start_page as today
from portal.foundation.access import login_required, public, roles_required
from portal.foundation.dates import to_local, utcnow
from portal.foundation.db import db, write_transaction
from portal.foundation.page_cache import kept
from portal.pharmacy import bp, settings_form
from portal.pharmacy.forms import PharmacyForm, SetupForm
from portal.pharmacy.models import Pharmacy


def _pharmacy_values(form) -> dict:
    return {
        name: (getattr(form, name).data or "").strip()
        for name in (
            "name",
            "address_line1",
            "address_line2",
            "city",
            "state",
            "postal_code",
            "phone",
            "fax",
            "npi",
            "ncpdp_id",
            "dea",
            "time_zone",
        )
    }


@bp.route("/")
@login_required
@kept
def home():
    hour = to_local(utcnow(), g.pharmacy.time_zone).hour
    greeting = "morning" if hour < 12 else "afternoon" if hour < 18 else "evening"
    return render_template("core/home.html", greeting=greeting, cards=today.cards_for(g.user))


@bp.route("/setup", methods=["GET", "POST"])
@public
def setup():
    """First run: create the pharmacy and its first administrator. Gone once done."""
    if Pharmacy.current() is not None:
        return redirect(url_for("pharmacy.home"))
    form = SetupForm()
    if form.validate_on_submit():
        with write_transaction():
            if Pharmacy.current() is not None:  # another terminal finished first
                return redirect(url_for("auth.login"))
            pharmacy = Pharmacy.create(**_pharmacy_values(form))
            roles = "admin manager" + (" pharmacist" if form.is_pharmacist.data else "")
            user = User.create(
                username=form.username.data.strip().lower(),
                full_name=form.full_name.data.strip(),
                # Until corrected on the staff page (the state PMP report sends them apart).
                last_name=name_parts(form.full_name.data)[0],
                first_name=name_parts(form.full_name.data)[1],
                initials="".join(part[0] for part in form.full_name.data.split()[:3]).upper(),
                roles=roles,
                password_hash=hash_secret(form.password.data),
                pin_hash=hash_secret(form.pin.data) if form.pin.data else None,
                pin_lookup=lookup_digest("pin", form.pin.data) if form.pin.data else None,
            )
            start_session(user)
            audit.record("create", "pharmacy", pharmacy.id, after=audit.snapshot(pharmacy))
            audit.record("create", "user", user.id, after=audit.snapshot(user))
        flash(
            _(
                "Welcome to Mortar, %(name)s. %(pharmacy)s is set up.",
                name=user.full_name,
                pharmacy=pharmacy.name,
            ),
            "success",
        )
        return redirect(url_for("pharmacy.home"))
    return render_template("core/setup.html", form=form)


@bp.route("/admin/pharmacy", methods=["GET", "POST"])
@roles_required("admin")
def pharmacy_settings():
    pharmacy = Pharmacy.current()
    form = PharmacyForm(obj=pharmacy)
    if form.validate_on_submit():
        with write_transaction():
            before = audit.snapshot(pharmacy)
            for name, value in _pharmacy_values(form).items():
                setattr(pharmacy, name, value)
            pharmacy.save()
            audit.record(
                "update", "pharmacy", pharmacy.id, before=before, after=audit.snapshot(pharmacy)
            )
        flash(_("Pharmacy details saved."), "success")
        return redirect(url_for("pharmacy.pharmacy_settings"))
    return render_template("core/pharmacy.html", form=form)


@bp.route("/admin/prescription-settings", methods=["GET", "POST"])
@roles_required("pharmacist", "admin")
def prescription_settings():
    """State limits, the pharmacy's own sig codes, numbering and labels: a pharmacist in
    charge or an administrator decides them."""
    form = settings_form.form_for("Prescriptions")
    if form.validate_on_submit():
        with write_transaction():
            settings_form.save(form)
        flash(_("Prescription and label settings saved."), "success")
        return redirect(url_for("pharmacy.prescription_settings"))
    return render_template("core/prescription_settings.html", form=form)


@bp.route("/healthz")
@public
def healthz():
    try:
        db.execute_sql("SELECT 1")
    except (PeeweeException, OSError) as error:
        return jsonify(status="error", database=f"unreachable: {error}"), 503
    return jsonify(status="ok", database="ok")


@bp.app_context_processor
def _pharmacy():
    return {"pharmacy": g.get("pharmacy")}
