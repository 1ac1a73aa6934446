"""Where a `next=` parameter may send a browser: only to a path on this site.

OWASP Cheat Sheet "Unvalidated Redirects and Forwards": validate the target against what
the browser will make of it, not against the raw text. Browsers (WHATWG URL Standard)
drop tabs and newlines anywhere in a URL, strip leading and trailing spaces and control
characters, and read a backslash as a slash, so "/\t/evil.example" or "/\\evil.example"
arrive as "//evil.example", a link to another site. A target holding any of those
characters is refused outright rather than cleaned: no real page of the portal has them,
and a newline would otherwise reach the Location header (header injection; Werkzeug
refuses such a header with a server error).
"""

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def same_site_path(target: str | None) -> str:
    """The target when it is a path on this site ("/patients/3?tab=allergies"), else ""."""
    if not target or len(target) > MAX_LENGTH:
        return ""
    if any(ord(char) < 0x20 or ord(char) == 0x7F or char == "\\" for char in target):
        return ""
    if not target.startswith("/") or target.startswith("//"):
        return ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return ""
    return target
