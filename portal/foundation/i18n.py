"""Languages of what a patient reads (labels, the "Is it ready?" page).

Staff screens are English. A label is in its patient's preferred language whoever prints it,
and is laid out in worker processes without an app, so its words come from ``translations``
(a plain gettext catalog by locale), not from the request. Pages a patient reads register
their endpoint with ``patient_page``; only there does Flask-Babel follow ``?lang=``, the
choice remembered in a cookie, or the browser's Accept-Language.

Catalogs: translations/<locale>/LC_MESSAGES/messages.po, compiled to .mo (``make
translations``; babel.cfg says which files are read for the words).

Staff words are marked too, for a staff language to come: ``_("...")`` (flask_babel.gettext)
where a request runs; ``lazy_gettext`` below as ``_l`` for words defined at import (form
labels, menu entries, settings); ``N_`` in rules that stay free of Flask, translated where
they print (``translated``, ``portal.foundation.forms.word_choices``). They are extracted to
translations/staff.pot only (babel-staff.cfg); a staff language would start there (README,
"Staff words") and be chosen in ``_select_locale``.
"""

from __future__ import annotations

from functools import cache

from babel.support import LazyProxy, NullTranslations, Translations

from portal.foundation.resources import TRANSLATIONS

# Flask is imported where a request is served: labels are also laid out in worker processes
# that have no app, and label data ("no Flask") marks its words with N_.

ENGLISH = "en"
LOCALES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
LANG_COOKIE = "patient_lang"

# A patient record's preferred_language is free text as staff typed it.
_SPOKEN = {
    "es": frozenset({"spanish", "español", "espanol", "es", "spa"}),
}

_patient_endpoints: set[str] = set()


def locale_for(preferred_language: str | None) -> str:
    """The catalog locale for a patient's preferred language ("Spanish" -> "es"), else English."""
    spoken = (preferred_language or "").strip().lower()
    return next((code for code, names in _SPOKEN.items() if spoken in names), ENGLISH)


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for ``locale``; English (the words as written) when there is none."""
    if locale == ENGLISH:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [locale])


def N_(message: str) -> str:
    """Marks a word for the catalog where it is defined; it is translated where it prints."""
    return message


def lazy_gettext(message: str, **variables) -> LazyProxy:
    """Staff words defined at import (form labels, menu entries, messages), translated each
    time they are shown, in the request's language. Unlike Flask-Babel's own lazy strings,
    Jinja and WTForms escape these like any text (an apostrophe prints as &#39;, as before),
    and they are fine outside a request (English)."""

    def _translate() -> str:
        from flask_babel import gettext

        return gettext(message, **variables)

    return LazyProxy(_translate, enable_cache=False)


def translated(message: str) -> str:
    """A word marked with N_ where it is defined, in the request's language (English outside
    a request). Empty stays empty (gettext("") would give the catalog's header)."""
    if not message:
        return message
    from flask_babel import gettext

    return gettext(message)


def patient_page(endpoint: str) -> None:
    """Let the page at ``endpoint`` follow the patient's language (the browser's, or chosen)."""
    _patient_endpoints.add(endpoint)


def _select_locale() -> str:
    from flask import has_request_context, request

    # A command or a worker with an app but no request (demo load, a background job) speaks
    # the staff language: staff words go through gettext there too.
    if not has_request_context() or request.endpoint not in _patient_endpoints:
        return ENGLISH
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or ENGLISH


def _remember_choice(response):
    from flask import current_app, request

    if request.endpoint not in _patient_endpoints:  # staff pages: no query string to read
        return response
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def _template_words(get_locale, get_translations):
    """The gettext and ngettext templates call (``_()``, ``{% trans %}``), as Jinja's newstyle
    gettext does them, with the words as written when the page is English.

    Every word of every staff page goes through ``_()``: Jinja's newstyle wrapper around
    Flask-Babel's callables resolved ``gettext`` twice, looked up the English catalog (there
    is none: NullTranslations) and applied ``%`` for each, about a tenth of the queue page's CPU
    time (bench/staff_words.py). Here English answers without the lookup, and a message with
    no ``%`` and nothing to fill in skips the formatting (it would come back unchanged); any
    other locale (a patient page, a receipt under force_locale) reads its catalog as before.
    """
    from flask import g
    from jinja2 import pass_context
    from markupsafe import Markup

    # A message is the template's own text (or its translation), trusted as Jinja's newstyle
    # gettext trusts it; what is filled in is escaped by Markup's %.

    def _english() -> bool:
        # The locale Flask-Babel chose for this request (or force_locale set), read where it
        # keeps it in one step; the first word of a request asks get_locale() to choose it.
        try:
            chosen = g.get("_flask_babel")
        except RuntimeError:  # no app context
            chosen = None
        locale = getattr(chosen, "babel_locale", None) or get_locale()
        return locale is not None and locale.language == ENGLISH

    @pass_context
    def gettext(context, message, /, **variables):
        text = message if _english() else get_translations().ugettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704
        if not variables and "%" not in text:
            return text
        return text % variables  # newstyle: always, so a literal % is written %%

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        if _english():
            text = singular if num == 1 else plural
        else:
            text = get_translations().ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704
        return text % variables

    return gettext, ngettext


def init_app(app) -> None:
    from flask_babel import Babel, get_locale, get_translations, refresh

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", ENGLISH)
    Babel(app, locale_selector=_select_locale)
    # Babel installed Jinja's i18n extension, newstyle; _ is bound straight to gettext.
    gettext, ngettext = _template_words(get_locale, get_translations)
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    # Flask-Babel keeps the locale in the app context, which a request shares with any
    # context already pushed (a command, a test): choose it again for each request.
    app.before_request(refresh)
    app.after_request(_remember_choice)
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["page_language"] = lambda: str(get_locale() or ENGLISH)
