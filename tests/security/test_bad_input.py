"""Bad input is a message, never a server error (issue 17, item 8): ids too long for the
database in query strings and forms, integers of hundreds of digits (WTForms' NumberRange
compares through float and overflows at 309 digits), and choices no list offers. The junk
requests of tests/core stay; these are the cases the attack run found."""

import csv
import importlib
import io
import pkgutil

import pytest
from wtforms import Form, IntegerField

import portal
from portal.auth.models import ROLES
from portal.foundation.forms import BoundedIntegerField
from portal.schema import all_models
from tests.core.test_junk_forms import _pages, _post_forms
from tests.factories import make_user, sign_in

HUGE = "9" * 400
ID_TOO_LONG = "9" * 25


def test_a_patient_id_too_long_for_the_database_is_a_message_on_the_audit_page(client_as):
    manager = client_as("manager")

    page = manager.get("/audit/", query_string={"patient": ID_TOO_LONG})

    assert page.status_code == 200
    assert "No patient has that name." in page.get_data(as_text=True)


def test_the_audit_export_with_a_patient_id_too_long_is_an_empty_file(client_as):
    manager = client_as("manager")

    export = manager.get("/audit/export.csv", query_string={"patient": ID_TOO_LONG})

    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0][0] == "id" and len(rows) == 1


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("/admin/staff/settings", {"idle_lock_minutes": HUGE}, "1 to 60 minutes."),
        ("/compounding/calculations/dose", {"doses_per_day": HUGE}, "Between 1 and 24"),
        ("/compounding/formulas/new", {"stability_days": HUGE}, "USP &lt;795&gt; allows"),
    ],
)
def test_an_integer_of_hundreds_of_digits_is_a_field_message(client_as, path, data, message):
    person = client_as(*ROLES)

    answer = person.post(path, data=data)

    assert answer.status_code in (200, 422)
    assert message in answer.get_data(as_text=True)


def test_an_unknown_quality_check_on_the_formula_form_is_a_field_message(client_as):
    pharmacist = client_as("pharmacist")
    form = {
        "name": "Ketoprofen 10% cream",
        "dosage_form": "cream",
        "basis_quantity": "100",
        "weighing_tolerance_percent": "5",
        "checks-0-kind": "radioactivity",
    }

    answer = pharmacist.post("/compounding/formulas/new", data=form)

    assert answer.status_code == 422
    assert "Choose a check from the list." in answer.get_data(as_text=True)


def _form_classes():
    """Every form class the portal defines (importing every area's modules)."""
    all_models()  # imports each area's models, which their forms build on
    for info in pkgutil.walk_packages(portal.__path__, "portal."):
        if "form" in info.name.rsplit(".", 1)[-1]:
            importlib.import_module(info.name)
    found, stack = [], [Form]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("portal."):
            found.append(cls)
    return found


def test_every_integer_field_is_bounded():
    """An IntegerField that takes any int() would pass 400 digits on to NumberRange and
    to the database; the portal's integer fields read at most 18 digits."""
    unbounded = []
    for form_class in _form_classes():
        for name in dir(form_class):
            unbound = getattr(form_class, name, None)
            field_class = getattr(unbound, "field_class", None)
            is_integer = isinstance(field_class, type) and issubclass(field_class, IntegerField)
            if is_integer and not issubclass(field_class, BoundedIntegerField):
                unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert unbounded == []


def test_no_form_fails_on_hundreds_of_digits_or_an_unknown_choice(bare_app):
    """The demo pharmacy's POST forms, every field holding 400 nines: too many digits for
    any integer, and a value no select list offers."""
    result = bare_app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    client = bare_app.test_client()
    sign_in(client, make_user(roles=ROLES))
    failures, posted = [], 0
    for page in _pages(bare_app):
        response = client.get(page)
        if response.status_code != 200:
            continue
        for action, names in _post_forms(response.get_data(as_text=True), page):
            answer = client.post(action, data=dict.fromkeys(names, HUGE))
            answer.get_data()
            posted += 1
            if answer.status_code >= 500:
                failures.append(action)
    assert posted > 100
    assert failures == []
