"""Co-sign: someone holding a role approves, by PIN, an action tried at someone else's terminal.

When a technician is acting and tries something only a pharmacist may do (verify a fill,
approve a compounding record), or only a manager may do (write off a claim's balance), the
form shows an inline prompt for the PIN or badge of someone holding that role; the action
is then recorded as done *by that person*, at the technician's terminal, with a note saying
so. The terminal's acting user stays the technician.

Use it in a view whose route lets both roles in (technicians must reach it to ask)::

    from portal.auth import cosign

    @bp.route("/fills/<int:fill_id>/verify", methods=["GET", "POST"])
    @roles_required("technician", "pharmacist")
    def verify(fill_id):
        fill = ...
        form = VerifyForm()
        if form.validate_on_submit():
            signoff = cosign.require_pharmacist()      # reads the posted `cosign_pin`
            if signoff:
                with write_transaction(), signoff:      # g.user is the pharmacist inside
                    fill.verified_by = signoff.signer
                    fill.save()
                    audit.record("verify", "fill", fill.id, patient_id=fill.patient_id)
                return redirect(...)
        return render_template("prescriptions/verify.html", form=form, fill=fill)

`cosign.require_role("manager")` works the same way for a manager's decision;
`require_pharmacist()` is `require_role("pharmacist")`. Put the prompt inside the form,
where it appears only when a PIN is needed (after the technician first submits, or with
the message when the PIN was wrong); it names the role asked for::

    <form method="post" ...>
      {{ form.hidden_tag() }}
      ... fields ...
      {% include "auth/_cosign.html" %}
      <button class="button primary" type="submit">Verify</button>
    </form>

The form's own fields need nothing extra: the PIN travels as `cosign_pin`, which FlaskForm
ignores. Re-render the form as for any invalid form, so what was typed stays.
`require_role()` returns a `Signoff` that is false until a signer is known: the acting
user when they hold the role (no PIN asked), else the active holder of the role whose PIN
or badge was entered. Wrong PINs count towards the terminal's PIN lockout
(portal.auth.pins). While the `with signoff:` block runs, `g.user` is the signer, so
`audit.record` attributes the event to them, and every event written in the block carries
the note "co-signed by <signer> at <acting user>'s terminal" (`current_note()` gives it to
areas that keep their own history, like claim events).
"""

from dataclasses import dataclass

from flask import g, has_request_context, request
from flask_babel import gettext as _

from portal.auth import pins
from portal.auth.models import User

FIELD = "cosign_pin"


@dataclass
class Signoff:
    """One approval by a holder of `role` (false while still waiting for a PIN)."""

    signer: User | None
    acting: User | None = None  # who was acting at the terminal, when co-signed
    error: str = ""
    asked: bool = False  # a PIN is needed: the template shows the prompt
    role: str = "pharmacist"

    def __bool__(self) -> bool:
        return self.signer is not None

    @property
    def pharmacist(self) -> User | None:
        """The signer of a pharmacist's co-sign (the name the verification views use)."""
        return self.signer

    @property
    def cosigned(self) -> bool:
        return self.acting is not None

    @property
    def note(self) -> str:
        if not self.cosigned:
            return ""
        return f"co-signed by {self.signer.full_name} at {self.acting.full_name}'s terminal"

    def __enter__(self):
        if not self:
            raise RuntimeError(f"no {self.role} has signed off: check the Signoff first")
        self._saved = (g.get("user"), g.get("audit_note"))
        if self.cosigned:
            g.user = self.signer
            g.audit_note = self.note
        return self

    def __exit__(self, *exc_info):
        g.user, g.audit_note = self._saved
        return False


def require_role(role: str, pin: str | None = None) -> Signoff:
    """A holder of `role` for the action: the acting user if they hold it, else the owner
    of the PIN or badge posted as `cosign_pin` (or passed as pin). Sets what _cosign.html
    shows."""
    acting = g.user
    if acting.has_role(role):
        signoff = Signoff(acting, role=role)
    else:
        secret = pin if pin is not None else request.form.get(FIELD, "")
        signoff = _check(acting, secret, role)
    g.cosign = signoff
    return signoff


def require_pharmacist(pin: str | None = None) -> Signoff:
    """A pharmacist for the action (see require_role)."""
    return require_role("pharmacist", pin)


def current_note() -> str:
    """The co-sign note while a `with signoff:` block runs ("" otherwise)."""
    return g.get("audit_note", "") if has_request_context() else ""


def _check(acting: User, secret: str, role: str) -> Signoff:
    if not secret.strip():
        return Signoff(None, acting, asked=True, role=role)
    found = pins.identify(secret, "co-sign")
    if not found:
        return Signoff(None, acting, error=found.error, asked=True, role=role)
    if not found.user.has_role(role):
        return Signoff(
            None,
            acting,
            error=_(
                "That PIN belongs to %(full_name)s, who is not a %(role)s.",
                full_name=found.user.full_name,
                role=role,
            ),
            asked=True,
            role=role,
        )
    return Signoff(found.user, acting, role=role)
