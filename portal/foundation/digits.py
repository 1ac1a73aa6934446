"""Digits as staff type them or scanners send them: ASCII 0-9 only.

``str.isdigit()`` is also true for "²", "٣" and other Unicode digits, which ``int()``
or the database then refuse: a typed superscript would be a server error on a search
box. Checks of typed digits go through ``is_digits`` (tests/core/test_digits.py looks).
"""


def is_digits(text: str) -> bool:
    """Whether ``text`` is one or more of the ASCII digits 0-9."""
    return text.isascii() and text.isdigit()


# Ids and numbers from query strings and forms go into 64-bit integer columns.
_LONGEST_ID = 18


def as_id(text: str | None) -> int | None:
    """``text`` as a whole number that fits the database's integer columns, else None."""
    text = (text or "").strip()
    if is_digits(text) and len(text) <= _LONGEST_ID:
        return int(text)
    return None
