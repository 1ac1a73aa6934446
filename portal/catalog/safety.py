"""Catalog facts that decide what a patient may be given change only with a pharmacist.

A lot's expiry, a product's NDC and DEA schedule, an ingredient's schedule, potency,
salt factor, bulk NDC and allergen classes, and the active ingredients a product
contains are read by dispensing and by every check: an expired lot moved into the future
leaves the expired list and can be dispensed again (21 CFR 211.137 expiration dating; USP
<795>: no component is used past its expiry), a wrong NDC or schedule puts the wrong drug
on the label or lifts the controlled-substance rules (21 CFR 207.33, the NDC; 21 CFR 1308,
the schedules), a wrong potency or salt factor changes the amount weighed (USP <795>), and
a lost allergen class silences the allergy check. So a change to any of them is made by a
pharmacist, or co-signed by one at the terminal of whoever typed it (portal.auth.cosign),
with a reason, and the audit event says what changed, why, and who approved it.

Use it in a view after the form validates::

    changed = safety.changed_facts("lot", lot, {"expires_on": form.expires_on.date})
    signoff = safety.approval(form, changed)
    if signoff:
        with write_transaction(), signoff:
            ... save ...
            audit.record("update", "lot", lot.id, ..., note=safety.note(form, changed))

The form mixes in ``ReasonForChange``; the template shows ``form.change_reason`` and
includes ``auth/_cosign.html``.
"""

from decimal import Decimal

from flask import g
from flask_babel import gettext as _

from portal.auth import cosign
from portal.catalog.fields import text_field
from portal.foundation.i18n import lazy_gettext as _l

# What each record's safety facts are called in messages and the audit note.
SAFETY_FACTS = {
    "lot": {"expires_on": "expiry"},
    "product": {"ndc": "NDC", "schedule": "DEA schedule"},  # and its active ingredients
    "ingredient": {
        "schedule": "DEA schedule",
        "allergen_classes": "allergen classes",
        "potency": "potency",
        "salt_factor": "salt-to-base factor",
        "bulk_ndc": "bulk NDC",
    },
}


class ReasonForChange:
    """Mixed into a catalog form: the reason asked for when a safety fact changes."""

    change_reason = text_field(_l("Why the safety facts change"), 300)


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return old is not None and new is not None and Decimal(old) == Decimal(new)
    return (old or None) == (new or None)


def changed_facts(kind: str, row, values: dict) -> dict[str, tuple]:
    """{label: (before, after)} for the safety facts of ``row`` that ``values`` change.

    A new record (``row`` None) changes nothing: there is nothing yet to rely on."""
    if row is None:
        return {}
    changed = {}
    for name, label in SAFETY_FACTS[kind].items():
        if name in values and not _same(getattr(row, name), values[name]):
            changed[label] = (getattr(row, name), values[name])
    return changed


def product_changes(product, values: dict, ingredient_lines) -> dict[str, tuple]:
    """changed_facts for a product, and its active ingredients (name and strength) when the
    typed lines differ from those on file: they carry the allergen classes and schedule."""
    changed = changed_facts("product", product, values)
    if product is not None:
        before, after = product_ingredients(product), typed_ingredients(ingredient_lines)
        if before != after:
            changed["active ingredients"] = (before, after)
    return changed


def product_ingredients(product) -> tuple:
    """A product's active ingredients as (lower-case name, strength) pairs, to compare."""
    return tuple(
        sorted((link.ingredient.name.lower(), link.strength) for link in product.ingredient_links())
    )


def typed_ingredients(pairs) -> tuple:
    """The (name, strength) lines typed on the product form, to compare."""
    return tuple(sorted((name.lower(), strength) for name, strength in pairs))


def approval(form, changed: dict) -> cosign.Signoff:
    """Who approves the change: the acting user when no safety fact changes or they are a
    pharmacist, else the pharmacist whose PIN was posted. False (with the form's message
    or the PIN prompt) until there is a reason and a pharmacist."""
    if not changed:
        return cosign.Signoff(g.user)
    if not (form.change_reason.data or "").strip():
        facts = ", ".join(changed)
        form.change_reason.errors.append(
            _(
                "Say why you are changing the %(facts)s: "
                "a pharmacist approves it and the reason goes into the audit trail.",
                facts=facts,
            )
        )
        if not g.user.has_role("pharmacist"):
            g.cosign = cosign.Signoff(None, g.user, asked=True)
        return cosign.Signoff(None, g.user)
    return cosign.require_pharmacist()


def _shown(value) -> str:
    if value is None or value == "":
        return "none"
    if hasattr(value, "strftime"):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        return "; ".join(f"{name} {strength}".strip() for name, strength in value) or "none"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def note(form, changed: dict) -> str:
    """The audit note: each fact from and to, and the reason given ("" when none changed)."""
    if not changed:
        return ""
    facts = "; ".join(
        f"{label} {_shown(before)} -> {_shown(after)}" for label, (before, after) in changed.items()
    )
    return f"Safety facts changed ({facts}). Reason: {form.change_reason.data.strip()}"
