"""Words a template shows that are not marked for translation.

Reads each template's raw text (Jinja's "data" tokens, outside every tag) as HTML: text
between elements, and the attributes a person reads (placeholder, title, aria-label, alt,
and a button's value), must hold no words. Marked words live inside ``{{ _("...") }}`` or
``{% trans %}``, so they never reach this reader.

What is not a word: script and style bodies, and what HTML itself marks as computer text
(``<code>``, ``<kbd>``, ``<samp>``: a setting's name, a key, a sample file); and codes, a run
of letters joined to digits or underscores with no space (``F2``, ``RX100123-0``, ``PORTAL_PORT``).
A word standing alone stays a word, even an abbreviation (``Rx``, ``NDC``): it may be
translated.

Run as a script for a report: ``python -m tests.i18n.unmarked templates/claims``.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description"}
CODE_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
LETTERS = re.compile(r"[^\W\d_]")
CODE_MARKS = re.compile(r"[\d_]")
# Jinja expressions and statements stand in the data as a placeholder the reader skips; the
# spaces keep a tag whole when a statement sits inside it (<tr{% if %} class="x"{% endif %}>).
HOLE = " \x00 "


def has_words(text: str) -> bool:
    """Whether text holds a word: letters not joined to digits or underscores (a code)."""
    return any(
        LETTERS.search(token) and not CODE_MARKS.search(token)
        for token in text.replace(HOLE.strip(), " ").split()
    )


def _environment() -> Environment:
    # Only lexed, never rendered.
    return Environment(
        extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"], autoescape=True
    )


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._code = 0  # inside <script>, <style>, <code>, <kbd> or <samp>

    def handle_starttag(self, tag, attrs):
        if tag in CODE_ELEMENTS:
            self._code += 1
        values = dict(attrs)
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in ("submit", "button")
            )
            if readable and value and has_words(value):
                shown = " ".join(value.replace(HOLE.strip(), "…").split())
                self.found.append((self.getpos()[0], f'{name}="{shown}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in CODE_ELEMENTS:
            self._code -= 1

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self._code:
            self._code -= 1

    def handle_data(self, data):
        if not self._code and has_words(data):
            shown = data.replace(HOLE, "…").replace(HOLE.strip(), "…")
            self.found.append((self.getpos()[0], " ".join(shown.split())))


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
