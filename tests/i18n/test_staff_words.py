"""The staff screens' words: every template marks what it shows, and translations/staff.pot
(the template a staff language would start from, `make staff-words`) holds every message
the templates and the portal's Python mark."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.i18n.test_catalog import _patient_words
from tests.i18n.unmarked import unmarked

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# What `make staff-words` passes to pybabel, besides its own defaults (_, gettext, ngettext...).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}


def _marked_in_code() -> set[str]:
    """Every message babel-staff.cfg's files mark, as `make staff-words` extracts them."""
    with open(ROOT / "babel-staff.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for *_, message, _, _ in found}


def test_no_template_shows_an_unmarked_word():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line, text in unmarked(path.read_text(encoding="utf-8"))
    ]
    assert not found, "mark these with {{ _(...) }} or {% trans %}:\n" + "\n".join(found)


def test_the_checker_finds_a_bare_word_and_passes_codes_and_marked_words():
    assert unmarked("<p>{{ _('Queue') }} <kbd>F2</kbd> {{ rx.rx_number }}-1</p>") == []
    assert unmarked('<input placeholder="RX100123-0"><tr{% if x %} class="y"{% endif %}>') == []
    assert unmarked("{% trans n=3 %}Show the next {{ n }}{% endtrans %}") == []
    assert unmarked("<p></p>\n<p>{{ _('Queue') }} Show the next {{ n }}</p>") == [
        (2, "… Show the next …")
    ]
    assert unmarked('<a title="Open {{ rx }}">') == [(1, 'title="Open …"')]
    assert unmarked("<p>Rx {{ rx.rx_number }}</p>") == [(1, "Rx …")]


def test_the_staff_catalog_template_has_every_marked_message():
    with open(ROOT / "translations" / "staff.pot", "rb") as pot:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    missing = _marked_in_code() - catalog
    assert not missing, f"run `make staff-words`: {sorted(missing)}"


def test_the_staff_words_stay_out_of_the_patients_catalogs():
    # Spanish holds what patients read and nothing else: a staff word in it would be one more
    # message to translate for no reader (and test_catalog fails on any untranslated one).
    with open(ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po", "rb") as po:
        spanish = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.id}
    assert spanish <= _patient_words()
    assert "Switch user" in _marked_in_code() and "Switch user" not in spanish
