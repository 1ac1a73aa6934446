"""Digits as staff type them or scanners send them: ASCII 0-9 only.

``str.isdigit()`` is also true for "²", "٣" and other Unicode digits, which ``int()``
or the database then refuse: a typed superscript would be a server error on a search
box. Checks of typed digits go through ``is_digits`` (tests/core/test_digits.py looks).
"""


def is_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the ASCII digits 0-9."""
    return text.isascii() and text.isdigit()
