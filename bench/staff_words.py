"""What marking every staff word for translation costs a busy page: p50 of the queue page with
the words written as plain text, marked and looked up by Flask-Babel's own template callables
(a catalog lookup per word), and marked as served (portal/foundation/i18n.py: English pages
take the words as written).

Data: the queue benchmark's 10k-fill pharmacy (bench.queue, cached in bench/data/). Three
apps open the same database; the plain one reads every template through a loader that
writes each plain ``{{ _("words") }}`` back as the words themselves and any other
``_("words")`` as the string (what the page was before marking; messages with placeholders
keep their call, so the cost measured is a lower bound). All are English staff pages, so
the HTML is the same: checked once before timing. They take turns request by request in one
process, so a busy machine slows all alike; p50 of the request's CPU time (this thread),
wall time in brackets.

Target: the served page's p50 at most 1.05 times the plain one's.
"""

import html
import re
import time

from flask_babel import get_translations
from jinja2 import BaseLoader
from jinja2.ext import _gettext_alias

from bench.common import ms, p50
from bench.queue import HTMX, Pharmacy

FILLS = 10_000
REPEAT = 80
TARGET_RATIO = 1.05
STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
# {{ _("words") }} -> the words; then any other _("words") -> the string "words".
PLAIN_OUTPUT = re.compile(r"\{\{-?\s*_\(\s*" + STRING + r"\s*\)\s*-?\}\}")
PLAIN_CALL = re.compile(r"(?<![\w.])_\(\s*" + STRING + r"\s*\)")


class PlainWords(BaseLoader):
    """The app's own templates with each plain _("words") written as the words."""

    def __init__(self, inner):
        self.inner = inner
        self.removed = 0

    def get_source(self, environment, template):
        source, filename, uptodate = self.inner.get_source(environment, template)
        plain, count = PLAIN_OUTPUT.subn(_words, source)
        plain, more = PLAIN_CALL.subn(lambda m: repr(_words(m)), plain)
        self.removed += count + more
        return plain, filename, uptodate


def _words(match: re.Match) -> str:
    text = match.group(1) if match.group(1) is not None else match.group(2)
    # Newstyle gettext applies % to every message: %% is one %.
    return text.replace("%%", "%").replace('\\"', '"').replace("\\'", "'")


def pages(p: Pharmacy) -> dict:
    return {
        "GET /queue (page, data verification tab)": lambda: p.client.get("/queue"),
        "htmx tab: Ready (rows of 50)": lambda: p.client.get(
            "/queue", query_string={"state": "ready"}, headers=HTMX
        ),
        "patient page with fill history": lambda: p.client.get(
            f"/patients/{p.ready_patients[0].id}"
        ),
    }


def main() -> None:
    plain, babel, served = Pharmacy(FILLS), Pharmacy(FILLS), Pharmacy(FILLS)
    loader = PlainWords(plain.app.jinja_env.loader)
    plain.app.jinja_env.loader = loader
    plain.app.jinja_env.bytecode_cache = None  # its sources differ from the files'
    # Flask-Babel's own template callables: a catalog lookup for every word, English too.
    babel.app.jinja_env.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )
    babel.app.jinja_env.globals["_"] = _gettext_alias
    variants = {"plain": plain, "Flask-Babel": babel, "served": served}
    actions = {}
    for pharmacy in variants.values():
        pharmacy.use()
        actions[id(pharmacy)] = pages(pharmacy)
    for name in actions[id(plain)]:
        bodies = set()
        for pharmacy in variants.values():
            pharmacy.use()
            response = actions[id(pharmacy)][name]()
            assert response.status_code == 200, (name, response.status_code)
            bodies.add(_without_tokens(response.get_data(as_text=True)))
        assert len(bodies) == 1, f"{name}: the pages read differently"
    print(f"plain-word calls written back as text: {loader.removed} (in the templates read)")
    print(
        f"p50 of the request, cpu (wall) {'':15} "
        + "  ".join(f"{v:>19}" for v in variants)
        + "   ratio to plain (Flask-Babel, served)"
    )
    missed = 0
    for name in actions[id(plain)]:
        wall = {v: [] for v in variants}
        cpu = {v: [] for v in variants}
        for _ in range(REPEAT):
            for variant, pharmacy in variants.items():
                pharmacy.use()
                started, cpu_started = time.perf_counter(), time.thread_time()
                actions[id(pharmacy)][name]()
                cpu[variant].append(time.thread_time() - cpu_started)
                wall[variant].append(time.perf_counter() - started)
        ratios = [p50(cpu[v]) / p50(cpu["plain"]) for v in ("Flask-Babel", "served")]
        met = ratios[-1] <= TARGET_RATIO
        missed += not met
        print(
            f"{name:44} "
            + "  ".join(f"{ms(p50(cpu[v]))} ({p50(wall[v]) * 1000:5.1f})" for v in variants)
            + f"   {ratios[0]:4.2f}x {ratios[1]:4.2f}x"
            + f"  target <= {TARGET_RATIO}x: {'met' if met else 'MISSED'}"
        )
    print("verdict: " + (f"{missed} MISSED" if missed else "all targets met"))


def _without_tokens(page: str) -> str:
    """The page as read: entities decoded (a marked message keeps its apostrophe where a plain
    string's is escaped), without what differs per request (CSRF tokens, the idle countdown)."""
    per_request = r'(name="csrf_token" value=|data-csrf=|data-seconds-left=|X-CSRFToken": )"[^"]*"'
    page = re.sub(per_request, r"\1", page)
    return html.unescape(page)
