"""Words a template shows that are not marked for translation.

Reads each template's raw text (Jinja's "data" tokens, outside every tag) as HTML: text
between elements, and the attributes a person reads (placeholder, title, aria-label, alt,
and a button's value), must hold no letters. Marked words live inside ``{{ _("...") }}`` or
``{% trans %}``, so they never reach this reader. Script and style bodies are code.

Run as a script for a report: ``python -m tests.i18n.unmarked templates/claims``.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description"}
LETTERS = re.compile(r"[A-Za-z]")
# Jinja expressions and statements stand in the data as a placeholder the reader skips.
HOLE = "\x00"


def _environment() -> Environment:
    # Only lexed, never rendered.
    return Environment(
        extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"], autoescape=True
    )


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._code = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._code += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in ("submit", "button")
            )
            if readable and value and LETTERS.search(value.replace(HOLE, "")):
                self.found.append((self.getpos()[0], f'{name}="{value}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._code -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._code:
            self._code -= 1

    def handle_data(self, data):
        if not self._code and LETTERS.search(data.replace(HOLE, "")):
            self.found.append((self.getpos()[0], " ".join(data.replace(HOLE, "…").split())))


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, text) for each unmarked word-bearing piece of a template's source."""
    pieces: list[str] = []
    lines = 1  # the line the text so far ends on
    in_trans = False  # a {% trans %} block's words are marked: they are left out
    for lineno, kind, value in _environment().lex(source):
        if kind == "name" and value in ("trans", "pluralize", "endtrans"):
            in_trans = value != "endtrans"
        if kind == "data":
            if lineno > lines:  # tags spanning lines: keep the text on its source line
                pieces.append("\n" * (lineno - lines))
                lines = lineno
            piece = "\n" * value.count("\n") if in_trans else value
            pieces.append(piece)
            lines += value.count("\n")
        elif kind in ("variable_begin", "block_begin"):
            pieces.append(HOLE)
    reader = _Reader()
    reader.feed("".join(pieces))
    reader.close()
    return reader.found


def report(paths: list[Path]) -> int:
    """Print every unmarked piece under paths; the count found."""
    count = 0
    for folder in paths:
        files = [folder] if folder.is_file() else sorted(folder.rglob("*.html"))
        for path in files:
            for line, text in unmarked(path.read_text(encoding="utf-8")):
                count += 1
                print(f"{path}:{line}: {text}")
    return count


if __name__ == "__main__":
    sys.exit(1 if report([Path(p) for p in sys.argv[1:] or ["templates"]]) else 0)
