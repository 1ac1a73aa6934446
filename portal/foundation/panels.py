"""Panels other areas add to a page they don't own: the fill page shows the claims area's
claims and the labels area's print history, final verification shows the label preview and
the compounding record. The page names a slot; each area adds its partial template to it
when it is set up, so the page's own area imports none of them. A partial reads the page's
context (``fill``, ``rx``) and shows nothing when it has nothing to say.
"""

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class Panel:
    slot: str  # "fill:billing"
    template: str  # "claims/_fill_claims.html"
    order: int


def add(app: Flask, slot: str, template: str, order: int = 50) -> None:
    panels = app.extensions.setdefault("portal_panels", [])
    if any(p.slot == slot and p.template == template for p in panels):
        return
    panels.append(Panel(slot, template, order))
    panels.sort(key=lambda panel: panel.order)


def templates_for(app: Flask, slot: str) -> list[str]:
    return [p.template for p in app.extensions.get("portal_panels", []) if p.slot == slot]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["panels"] = lambda slot: templates_for(app, slot)
