"""The Spanish catalog: every word a patient reads is in it, translated and not fuzzy, and the
compiled .mo the portal reads says what the .po says (`make translations` keeps them so)."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal.foundation.i18n import LOCALES, locale_for, translations
from portal.foundation.resources import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None}


def _catalog(locale: str):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=locale)


def _patient_words() -> set:
    """Every message babel.cfg's files mark, as `make translations` extracts them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for *_, message, _, _ in found}


def test_every_spanish_message_is_translated_and_none_is_fuzzy():
    catalog = _catalog("es")
    assert not catalog.fuzzy
    for message in catalog:
        if not message.id:
            continue
        assert "fuzzy" not in message.flags, f"fuzzy: {message.id}"
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated: {message.id}"
        # No %(name)s the English lacks, or the text fails when it is filled in.
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        known = set().union(*(_placeholders(i) for i in ids))
        for translated in strings:
            assert _placeholders(translated) <= known, message.id


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)[sd]", text))


def test_the_catalog_has_every_word_the_code_marks():
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("es") if m.id}
    missing = _patient_words() - catalog_ids
    assert not missing, f"run `make translations`, then translate: {sorted(missing)}"


def test_the_compiled_catalog_matches_the_po():
    for locale in LOCALES[1:]:
        with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb") as mo:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(mo) if m.id}
        written = {_key(m.id): _key(m.string) for m in _catalog(locale) if m.id}
        assert compiled == written, "run `make translations` to compile the catalog"


def _key(value):
    return tuple(value) if isinstance(value, list | tuple) else value


def test_a_patients_preferred_language_picks_the_catalog():
    assert locale_for("Spanish") == locale_for(" español ") == locale_for("ES") == "es"
    assert locale_for("English") == locale_for("") == locale_for(None) == "en"
    assert locale_for("Vietnamese") == "en"  # no catalog yet: English, not a mix
    assert translations("es").gettext("Discard after") == "Deseche después de"
    assert translations("en").gettext("Discard after") == "Discard after"
