"""Addresses in templates are built once and kept: each is still the one Flask builds, for
the app's mount point, the endpoint and its values, whatever came before."""

from flask import render_template_string, url_for


def _render(app, source, path="/", root=""):
    with app.test_request_context(path, environ_overrides={"SCRIPT_NAME": root}):
        return render_template_string(source)


def test_a_kept_address_is_the_one_flask_builds(app):
    source = (
        "{{ url_for('static', filename='css/portal.css') }}|{{ url_for('patients.search') }}"
        "|{{ url_for('auth.switch', next='/queue?tab=2') }}"
    )
    with app.test_request_context("/"):
        expected = "|".join(
            [
                url_for("static", filename="css/portal.css"),
                url_for("patients.search"),
                url_for("auth.switch", next="/queue?tab=2"),
            ]
        )
    assert _render(app, source) == expected
    assert _render(app, source) == expected  # the second time from what was kept


def test_each_value_and_each_mount_point_has_its_own_address(app):
    source = "{{ url_for('auth.switch', next=n) }}"
    with app.test_request_context("/"):
        first = render_template_string(source, n="/queue")
        second = render_template_string(source, n="/patients/search?q=ann")
        as_number = render_template_string(source, n=1)
        as_flag = render_template_string(source, n=True)
    assert "queue" in first and "patients" in second
    assert (as_number, as_flag) == ("/terminal/switch?next=1", "/terminal/switch?next=True")
    mounted = _render(app, "{{ url_for('patients.search') }}", root="/pharmacy")
    assert mounted == "/pharmacy/patients/search"
    assert _render(app, "{{ url_for('patients.search') }}") == "/patients/search"


def test_addresses_flask_must_build_each_time_are_left_to_flask(app):
    with app.test_request_context("/", base_url="https://counter.example"):
        external = render_template_string("{{ url_for('patients.search', _external=True) }}")
        several = render_template_string("{{ url_for('patients.search', q=['a', 'b']) }}")
    assert external == "https://counter.example/patients/search"
    assert several == "/patients/search?q=a&amp;q=b"


def test_a_route_compiled_on_first_use_builds_what_werkzeug_builds():
    """The portal's rules compile their builders on first use; the addresses are Werkzeug's,
    a value named like the builder's own argument included."""
    from flask import Flask
    from werkzeug.routing import Rule as WerkzeugRule

    from portal.foundation.urls import Rule

    addresses = []
    for rule_class in (WerkzeugRule, Rule):
        app = Flask(__name__)
        app.url_rule_class = rule_class
        app.add_url_rule("/item/<int:number>/<rule>", "item", lambda number, rule: "")
        with app.test_request_context("/"):
            addresses.append(
                [
                    url_for("item", number=7, rule="a b"),
                    url_for("item", number=7, rule="x", tab="2", q="é"),
                    url_for("item", number=8, rule="y"),
                ]
            )
    assert (
        addresses[0]
        == addresses[1]
        == [
            "/item/7/a%20b",
            "/item/7/x?tab=2&q=%C3%A9",
            "/item/8/y",
        ]
    )
