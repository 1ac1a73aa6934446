"""Comparing drug, ingredient and class names as people type them.

Case, punctuation and simple plurals are ignored ("NSAIDs" = "nsaid",
"Penicillins" = "penicillin"), and a salt or hydrate word at the end does not
make a different ingredient ("amoxicillin trihydrate" = "amoxicillin").
"""

from __future__ import annotations

import re
from functools import cache

# Words naming the salt or water of hydration of an active moiety, dropped from
# the end of an ingredient name to compare the moiety itself.
SALT_WORDS = frozenset(
    {
        "hydrochloride", "hcl", "hydrobromide", "sulfate", "phosphate", "acetate", "citrate",
        "maleate", "mesylate", "tartrate", "bitartrate", "succinate", "fumarate", "besylate",
        "tosylate", "trihydrate", "dihydrate", "monohydrate", "hydrate", "anhydrous",
        "sodium", "potassium", "calcium", "magnesium",
    }
)  # fmt: skip


def _singular(word: str) -> str:
    """Simple singular: drop a final "s" (not "ss") from words longer than three letters."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def name_words(name: str) -> tuple[str, ...]:
    """Lower-case singular words of a name: "NSAIDs, oral" -> ("nsaid", "oral")."""
    return tuple(_singular(word) for word in re.findall(r"[a-z0-9]+", name.lower()))


def moiety_words(name: str) -> tuple[str, ...]:
    """Words of an ingredient without trailing salt words ("naproxen sodium" -> ("naproxen",))."""
    words = list(name_words(name))
    while len(words) > 1 and words[-1] in _SALT_SINGULAR:
        words.pop()
    return tuple(words)


# Pharmacopeial grade and physical form written after a compounding ingredient's name
# ("Ketoprofen USP", "Hydrocortisone USP micronized", "Methylparaben NF"): not the moiety.
GRADE_WORDS = frozenset({"usp", "nf", "bp", "ep", "jp", "micronized", "powder", "fcc", "acs"})

_SALT_SINGULAR = frozenset(_singular(word) for word in SALT_WORDS | GRADE_WORDS)


def contains_words(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """True when ``needle`` appears as whole consecutive words in ``haystack``."""
    if not needle:
        return False
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


# Words that say a name is WITHOUT what follows or precedes: "paraben-free base",
# "lactose free", "without dye", "non-latex". A preparation made without the allergen
# names it only to say so.
_FREE_AFTER = frozenset({"free"})
_FREE_BEFORE = frozenset({"without", "no", "non"})


def mentions(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """True when ``needle`` appears in ``haystack`` and is not negated ("paraben free")."""
    if not needle:
        return False
    size = len(needle)
    for i in range(len(haystack) - size + 1):
        if haystack[i : i + size] != needle:
            continue
        after = haystack[i + size] if i + size < len(haystack) else ""
        before = haystack[i - 1] if i > 0 else ""
        if after not in _FREE_AFTER and before not in _FREE_BEFORE:
            return True
    return False


@cache
def term_key(name: str) -> str:
    """How the knowledge base files a drug, ingredient or class name: its moiety words
    ("Naproxen Sodium" -> "naproxen", "NSAIDs" -> "nsaid")."""
    return " ".join(moiety_words(name))
