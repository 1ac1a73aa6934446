"""What makes a password acceptable, after NIST SP 800-63B 5.1.1.2 (memorized secrets).

* At least 12 characters (the issue of record asks 12; 800-63B's floor is 8), and at most
  200 (the forms' limit; long passphrases are welcome).
* Not a common or easily guessed password: checked with zxcvbn (Dropbox's estimator, kept
  up on PyPI), whose dictionaries hold the most common passwords, words and names, and
  which sees through repeats ("aaaaaaaaaaaa"), runs ("1234567890ab") and keyboard patterns.
  A score under 3 ("safely unguessable": about 10^8 guesses or more) is refused.
* Not built on the person's own names or username, nor on the name of the service
  ("context-specific words", 800-63B): those are the first things a guesser tries.

No rules about mixing character classes and no forced expiry (800-63B advises against
both). The message says why in plain words, so an administrator setting a password for
someone sees the reason.
"""

import re

from portal.foundation.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3
CHECKED_LENGTH = 100  # zxcvbn's time grows with length; the first 100 characters decide
SERVICE_WORDS = ("mortar", "pharmacy", "portal")


def own_words(names) -> list[str]:
    """The pieces of a person's names and username a guesser would try (4 letters or more,
    so a short name like "Ann" does not rule out "annual")."""
    words = set()
    for name in names:
        text = (name or "").strip().lower()
        if len(text) >= 4:
            words.add(text)
        words.update(part for part in re.split(r"[^a-z0-9]+", text) if len(part) >= 4)
    return sorted(words)


def password_problem(password: str, names=()) -> str | None:
    """Why this password may not be used (None when it may). names: the person's username,
    full name and initials, when known."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words are easy to remember."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    if any(word in lowered for word in own_words(names)):
        return N_("Do not use your own name or username in your password.")
    from zxcvbn import zxcvbn  # its word lists take some 20 ms to load: when a password is set

    result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=[*own_words(names), *SERVICE_WORDS])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    reasons = [feedback.get("warning") or N_("This password is too easy to guess.")]
    reasons.extend(feedback.get("suggestions") or [N_("Add another word or two.")])
    return " ".join(reason.strip() for reason in reasons if reason.strip())
