"""The htmx convention (README, architecture notes) in the templates themselves: every form
htmx posts disables its buttons while the request runs, and nothing that polls or swaps its
own outer HTML wraps links or forms that would inherit that swap."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_every_form_htmx_posts_disables_its_buttons_while_it_runs():
    missing = []
    for path in _templates():
        text = path.read_text()
        shared = re.search(r"{% set hx = '([^']*)' %}", text)  # attributes several forms share
        for tag in re.finditer(r"<form\b[^>]*>", text, re.S):
            markup = tag.group(0)
            if "{{ hx" in markup and shared:
                markup += shared.group(1)
            if "hx-post" in markup and "hx-disabled-elt" not in markup:
                missing.append(f"{path.relative_to(TEMPLATES)}: {markup[:80]}")
    assert missing == []


def test_no_poller_wraps_the_links_that_swap_the_page():
    """A polling element with hx-swap="outerHTML" around links made the queue tabs inherit
    it: the first tab click replaced #queue itself and every later click failed."""
    offenders = []
    for path in _templates():
        text = path.read_text()
        for opening in re.finditer(r"<(nav|div|section|ul)\b[^>]*hx-trigger=\"every[^>]*>", text):
            closing = text.find(f"</{opening.group(1)}>", opening.end())
            inner = text[opening.end() : closing]
            if "hx-get" in inner or "hx-post" in inner:
                offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
