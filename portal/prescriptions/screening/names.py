"""Name comparison lives with the drug knowledge base (portal.catalog.knowledge.names);
the screening checks read it from here too."""

from portal.catalog.knowledge.names import (
    SALT_WORDS,
    contains_words,
    mentions,
    moiety_words,
    name_words,
    term_key,
)

__all__ = ["SALT_WORDS", "contains_words", "mentions", "moiety_words", "name_words", "term_key"]
