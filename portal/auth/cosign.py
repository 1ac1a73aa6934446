"""Pharmacist co-sign: a pharmacist approves, by PIN, an action tried at someone else's terminal.

When a technician is acting and tries something only a pharmacist may do (verify a fill,
approve a compounding record), the form shows an inline prompt for a pharmacist's PIN or
badge; the action is then recorded as done *by the pharmacist*, at the technician's
terminal, with a note saying so. The terminal's acting user stays the technician.

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
                    fill.verified_by = signoff.pharmacist
                    fill.save()
                    audit.record("verify", "fill", fill.id, patient_id=fill.patient_id)
                return redirect(...)
        return render_template("prescriptions/verify.html", form=form, fill=fill)

and put the prompt inside the form, where it appears only when a PIN is needed (after the
technician first submits, or with the message when the PIN was wrong)::

    <form method="post" ...>
      {{ form.hidden_tag() }}
      ... fields ...
      {% include "auth/_cosign.html" %}
      <button class="button primary" type="submit">Verify</button>
    </form>

The form's own fields need nothing extra: the PIN travels as `cosign_pin`, which FlaskForm
ignores. Re-render the form as for any invalid form, so what was typed stays.
`require_pharmacist()` returns a `Signoff` that is false until a pharmacist is known:
the acting user when they hold the pharmacist role (no PIN asked), else the active
pharmacist whose PIN or badge was entered. Wrong PINs count towards the terminal's PIN
lockout (portal.auth.pins). While the `with signoff:` block runs, `g.user` is the
pharmacist, so `audit.record` attributes the event to them, and every event written in
the block carries the note "co-signed by <pharmacist> at <technician>'s terminal".
"""

from dataclasses import dataclass

from flask import g, request

from portal.auth import pins
from portal.auth.models import User

FIELD = "cosign_pin"


@dataclass
class Signoff:
    """A pharmacist's approval of one action (false while still waiting for a PIN)."""

    pharmacist: User | None
    technician: User | None = None  # who was acting at the terminal, when co-signed
    error: str = ""
    asked: bool = False  # a PIN is needed: the template shows the prompt

    def __bool__(self) -> bool:
        return self.pharmacist is not None

    @property
    def cosigned(self) -> bool:
        return self.technician is not None

    @property
    def note(self) -> str:
        if not self.cosigned:
            return ""
        return f"co-signed by {self.pharmacist.full_name} at {self.technician.full_name}'s terminal"

    def __enter__(self):
        if not self:
            raise RuntimeError("no pharmacist has signed off: check the Signoff first")
        self._saved = (g.get("user"), g.get("audit_note"))
        if self.cosigned:
            g.user = self.pharmacist
            g.audit_note = self.note
        return self

    def __exit__(self, *exc_info):
        g.user, g.audit_note = self._saved
        return False


def require_pharmacist(pin: str | None = None) -> Signoff:
    """A pharmacist for the action: the acting user if a pharmacist, else the owner of the
    PIN or badge posted as `cosign_pin` (or passed as pin). Sets what _cosign.html shows."""
    acting = g.user
    if acting.is_pharmacist:
        signoff = Signoff(acting)
    else:
        secret = pin if pin is not None else request.form.get(FIELD, "")
        signoff = _check(acting, secret)
    g.cosign = signoff
    return signoff


def _check(acting: User, secret: str) -> Signoff:
    if not secret.strip():
        return Signoff(None, acting, asked=True)
    found = pins.identify(secret, "co-sign")
    if not found:
        return Signoff(None, acting, error=found.error, asked=True)
    if not found.user.is_pharmacist:
        return Signoff(
            None,
            acting,
            error=f"That PIN belongs to {found.user.full_name}, who is not a pharmacist.",
            asked=True,
        )
    return Signoff(found.user, acting)
