"""Staff words marked in Python: translated where they are shown, escaped like any text, and
usable where there is no request (a command, a label worker)."""

from markupsafe import escape
from wtforms.fields.core import Label

from portal.foundation.forms import word_choices
from portal.foundation.i18n import N_, lazy_gettext, translated
from portal.patients import rules as patient_rules

# A word the Spanish (patient) catalog has: it shows the lazy string is looked up each time
# it prints, in the language of the request it prints in.
IN_CATALOG = "Discard after"


def test_a_lazy_word_prints_in_the_language_of_each_request(app):
    word = lazy_gettext(IN_CATALOG)
    with app.test_request_context("/ready?lang=es"):  # a patient page: Spanish chosen
        app.preprocess_request()
        assert str(word) == "Deseche después de"
    with app.test_request_context("/patients"):  # a staff page: English
        app.preprocess_request()
        assert str(word) == IN_CATALOG


def test_a_lazy_word_is_escaped_like_any_text():
    word = lazy_gettext("Prescriber's answer <as written>")
    assert str(escape(word)) == "Prescriber&#39;s answer &lt;as written&gt;"
    assert Label("answer", word)() == (
        '<label for="answer">Prescriber&#39;s answer &lt;as written&gt;</label>'
    )


def test_a_lazy_word_fills_in_its_placeholders_and_compares_as_text():
    word = lazy_gettext("At most %(count)s characters.", count=80)
    assert word == "At most 80 characters."
    assert "80" in word
    # WTForms fills its own placeholders into a validator's message with %.
    assert lazy_gettext("Between %(min)s and %(max)s.") % {"min": 1, "max": 5} == "Between 1 and 5."


def test_staff_words_need_no_request(app):
    # A command (demo load) or a worker: English, not "working outside of request context".
    with app.app_context():
        assert str(lazy_gettext(IN_CATALOG)) == IN_CATALOG
        assert translated(IN_CATALOG) == IN_CATALOG
    assert str(lazy_gettext(IN_CATALOG)) == IN_CATALOG  # no app at all


def test_a_word_choice_keeps_its_value_and_shows_its_label():
    sexes = word_choices(patient_rules.SEXES)
    assert [choice.value for choice in sexes] == ["F", "M", "X", "U"]
    assert all(type(choice.value) is str for choice in sexes)
    assert [str(choice.label) for choice in sexes] == [label for _, label in patient_rules.SEXES]


def test_an_empty_word_stays_empty(app):
    # gettext("") is the catalog's header, not an empty label.
    with app.test_request_context("/ready?lang=es"):
        app.preprocess_request()
        assert translated("") == ""
        assert translated(N_(IN_CATALOG)) == "Deseche después de"
