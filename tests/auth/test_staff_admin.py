"""Admin pages and `flask user ...` for staff accounts: every change audited, no secrets."""

from portal.audit.models import AuditEvent
from portal.auth.models import TerminalSession, User
from portal.auth.passwords import check_secret
from tests.factories import make_user

NEW = {
    "full_name": "Dana Reyes",
    "initials": "",
    "username": "DReyes",
    "password": "a long passphrase",
    "confirm": "a long passphrase",
    "pin": "2580",
    "roles": ["pharmacist", "admin"],
}


def test_admin_adds_a_staff_member(client_as):
    admin = client_as("admin")
    response = admin.post("/admin/staff/new", data=NEW)
    assert response.status_code == 302
    user = User.get(User.username == "dreyes")
    assert user.role_set == {"pharmacist", "admin"} and user.initials == "DR"
    assert check_secret(user.pin_hash, "2580") and check_secret(user.password_hash, NEW["password"])
    event = (
        AuditEvent.select().where(AuditEvent.entity == "user", AuditEvent.action == "create").get()
    )
    assert event.user_id == admin.user.id
    assert "hash" not in event.after and "2580" not in event.after and "lookup" not in event.after


def test_a_pin_someone_else_uses_is_refused(client_as):
    admin = client_as("admin")
    make_user(pin="2581")
    page = admin.post("/admin/staff/new", data=dict(NEW, pin="2581"))
    assert page.status_code == 422
    assert b"Someone else already uses that PIN. Choose another PIN." in page.data
    assert b"Dana Reyes" in page.data  # what was typed stays
    assert User.get_or_none(User.username == "dreyes") is None


def test_bad_input_names_each_problem_and_saves_nothing(client_as):
    admin = client_as("admin")
    page = admin.post(
        "/admin/staff/new",
        data=dict(NEW, username="x y", password="short", confirm="other", pin="12", roles=[]),
    )
    assert page.status_code == 422
    for message in (
        b"2\xe2\x80\x9340 letters",
        b"Use 12 to 200 characters.",
        b"The two passwords differ.",
        b"A PIN is 4 to 8 digits.",
        b"Choose at least one role.",
    ):
        assert message in page.data
    assert not AuditEvent.select().where(AuditEvent.action == "create").exists()


def test_admin_resets_a_pin_and_unlocks_a_locked_account(client_as):
    from datetime import timedelta

    from portal.foundation.dates import utcnow

    admin = client_as("admin")
    user = make_user(roles=("technician",))
    User.update(pin_locked_until=utcnow() + timedelta(minutes=9)).where(
        User.id == user.id
    ).execute()
    assert b"Locked out" in admin.get("/admin/staff/").data
    admin.post(f"/admin/staff/{user.id}/unlock")
    assert User.get_by_id(user.id).pin_locked_until is None
    admin.post(f"/admin/staff/{user.id}/pin", data={"pin": "7391", "confirm_pin": "7391"})
    assert check_secret(User.get_by_id(user.id).pin_hash, "7391")
    actions = {e.action for e in AuditEvent.select().where(AuditEvent.entity_id == str(user.id))}
    assert {"unlock_account", "reset_pin"} <= actions


def test_deactivating_signs_the_person_out_everywhere(client_as):
    admin = client_as("admin")
    technician = client_as("technician")
    response = admin.post(f"/admin/staff/{technician.user.id}/active")
    assert response.status_code == 302
    assert not User.get_by_id(technician.user.id).active
    assert technician.get("/").status_code == 302  # sent to sign in
    assert TerminalSession.get_by_id(technician.terminal.id).ended_at is not None
    assert AuditEvent.select().where(AuditEvent.action == "deactivate").exists()


def test_the_last_admin_cannot_be_deactivated_or_lose_the_role(client_as):
    admin = client_as("admin")
    admin.post(f"/admin/staff/{admin.user.id}/active", follow_redirects=True)
    assert User.get_by_id(admin.user.id).active
    page = admin.post(
        f"/admin/staff/{admin.user.id}",
        data={"full_name": "A", "initials": "", "roles": ["manager"]},
    )
    assert b"only active administrator" in page.data
    assert User.get_by_id(admin.user.id).has_role("admin")


def test_badge_assign_and_remove(client_as):
    admin = client_as("admin")
    user = make_user(roles=("technician",))
    admin.post(f"/admin/staff/{user.id}/badge", data={"badge": "EMP-00991"})
    assert User.get_by_id(user.id).badge_lookup is not None
    admin.post(f"/admin/staff/{user.id}/badge/remove")
    assert User.get_by_id(user.id).badge_lookup is None


def test_security_settings_change_the_idle_lock(client_as):
    from portal.auth import terminal

    admin = client_as("admin")
    admin.post(
        "/admin/staff/settings",
        data={"idle_lock_minutes": "3", "pin_max_failures": "5", "pin_lock_minutes": "20"},
    )
    assert terminal.idle_seconds() == 180 and terminal.pin_lock_minutes() == 20
    page = admin.post(
        "/admin/staff/settings",
        data={"idle_lock_minutes": "0", "pin_max_failures": "5", "pin_lock_minutes": "20"},
    )
    assert b"1 to 60 minutes." in page.data


def test_cli_creates_deactivates_and_resets_pin(app, runner):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "mlopez",
            "--name",
            "Maria Lopez",
            "--role",
            "pharmacist",
            "--role",
            "admin",
            "--password",
            "a long passphrase",
            "--pin",
            "4826",
        ]
    )
    assert result.exit_code == 0, result.output
    user = User.get(User.username == "mlopez")
    assert user.role_set == {"pharmacist", "admin"}
    result = runner.invoke(args=["user", "reset-pin", "mlopez", "--pin", "5937"])
    assert result.exit_code == 0 and check_secret(User.get_by_id(user.id).pin_hash, "5937")
    make_user(roles=("admin",))
    result = runner.invoke(args=["user", "deactivate", "mlopez"])
    assert result.exit_code == 0 and not User.get_by_id(user.id).active
    assert runner.invoke(args=["user", "deactivate", "nobody"]).exit_code == 1


def test_cli_prompts_for_what_is_not_given(app, runner):
    result = runner.invoke(
        args=["user", "create", "tnguyen", "--role", "technician"],
        input="Tam Nguyen\na long passphrase\na long passphrase\n6048\n",
    )
    assert result.exit_code == 0, result.output
    user = User.get(User.username == "tnguyen")
    assert user.full_name == "Tam Nguyen" and check_secret(user.pin_hash, "6048")


def test_cli_refuses_a_shared_pin(app, runner):
    make_user(pin="4826")
    result = runner.invoke(
        args=[
            "user",
            "create",
            "x1",
            "--name",
            "X",
            "--role",
            "technician",
            "--password",
            "a long passphrase",
            "--pin",
            "4826",
        ]
    )
    assert result.exit_code == 1
    assert "Choose another PIN" in result.output


def test_edit_page_shows_the_roles_held(client_as):
    admin = client_as("admin")
    user = make_user(roles=("pharmacist", "manager"))
    page = admin.get(f"/admin/staff/{user.id}").get_data(as_text=True)
    import re

    checked = re.findall(r'<input checked[^>]*value="(\w+)"', page)
    assert sorted(checked) == ["manager", "pharmacist"], re.findall(r"<input[^>]*roles[^>]*>", page)


def test_a_new_account_takes_its_last_and_first_name_from_the_full_name(client_as):
    admin = client_as("admin")
    admin.post("/admin/staff/new", data=NEW)
    user = User.get(User.username == "dreyes")
    assert (user.last_name, user.first_name) == ("Reyes", "Dana")
    named = dict(NEW, username="mcruz", full_name="Maria de la Cruz", pin="3691")
    admin.post("/admin/staff/new", data=dict(named, last_name="de la Cruz", first_name="Maria"))
    user = User.get(User.username == "mcruz")
    assert (user.last_name, user.first_name) == ("de la Cruz", "Maria")


def _save_names(admin, user, full_name, last_name, first_name, initials=None):
    """The staff page's "Save name and roles" for a pharmacist, as typed."""
    data = {
        "full_name": full_name,
        "last_name": last_name,
        "first_name": first_name,
        "roles": ["pharmacist"],
    }
    if initials is not None:
        data["initials"] = initials
    return admin.post(f"/admin/staff/{user.id}", data=data)


def test_admin_corrects_the_last_and_first_name_audited(client_as):
    admin = client_as("admin")
    user = make_user(roles=("pharmacist",), full_name="Nguyen Van An")
    page = admin.get(f"/admin/staff/{user.id}").get_data(as_text=True)
    assert 'name="last_name"' in page and 'name="first_name"' in page
    response = _save_names(admin, user, "Nguyen Van An", "Nguyen", "Van An", initials="NVA")
    assert response.status_code == 302
    stored = User.get_by_id(user.id)
    assert (stored.last_name, stored.first_name) == ("Nguyen", "Van An")
    event = (
        AuditEvent.select()
        .where((AuditEvent.entity == "user") & (AuditEvent.action == "update"))
        .order_by(AuditEvent.id.desc())
        .get()
    )
    assert event.user_id == admin.user.id and event.entity_id == str(user.id)
    assert '"Nguyen"' in event.after and '"Van An"' in event.after
    assert '"last_name": ""' in event.before  # as the factory made it


def test_a_first_name_without_a_last_name_is_refused_and_kept(client_as):
    admin = client_as("admin")
    user = make_user(roles=("pharmacist",), full_name="Nguyen Van An")
    page = _save_names(admin, user, "Nguyen Van An", " ", "Van An", initials="NVA")
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert "Enter the last name, or leave both names empty." in text
    assert 'value="Van An"' in text  # what was typed is kept
    assert User.get_by_id(user.id).first_name == ""


def _create_args(username, *names, full_name="Maria de la Cruz"):
    return [
        "user",
        "create",
        username,
        "--name",
        full_name,
        *names,
        "--role",
        "pharmacist",
        "--password",
        "a long passphrase",
        "--pin",
        "",
    ]


def test_cli_creates_an_account_with_its_last_and_first_name(app, runner):
    result = runner.invoke(
        args=_create_args("mcruz", "--last-name", "de la Cruz", "--first-name", "Maria")
    )
    assert result.exit_code == 0, result.output
    assert "last name 'de la Cruz', first name 'Maria'" in result.output
    user = User.get(User.username == "mcruz")
    assert (user.full_name, user.last_name, user.first_name) == (
        "Maria de la Cruz",
        "de la Cruz",
        "Maria",
    )
    event = AuditEvent.get((AuditEvent.entity == "user") & (AuditEvent.action == "create"))
    assert '"de la Cruz"' in event.after
    result = runner.invoke(args=_create_args("mcruz2"))  # no names: from the full name
    assert result.exit_code == 0, result.output
    user = User.get(User.username == "mcruz2")
    assert (user.last_name, user.first_name) == ("Cruz", "Maria de la")


def test_cli_refuses_an_over_long_name_in_words_and_makes_no_account(app, runner):
    too_long = "x" * (User.last_name.max_length + 1)
    for args, message in (
        (_create_args("mcruz", "--last-name", too_long), "A last name is at most 80 characters."),
        (
            _create_args("mcruz", "--last-name", "Cruz", "--first-name", too_long),
            "A first name is at most 80 characters.",
        ),
        (
            _create_args("mcruz", full_name="y" * (User.full_name.max_length + 1)),
            "A full name is at most 120 characters.",
        ),
        (
            _create_args("mcruz", "--first-name", "Maria"),
            "Enter the last name, or leave both names empty.",
        ),
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and message in result.output, result.output
    assert User.get_or_none(User.username == "mcruz") is None
    assert not AuditEvent.select().where(AuditEvent.action == "create").exists()


def test_the_staff_form_refuses_an_over_long_last_name(client_as):
    admin = client_as("admin")
    user = make_user(roles=("pharmacist",), full_name="Maria de la Cruz")
    page = _save_names(
        admin, user, "Maria de la Cruz", "x" * (User.last_name.max_length + 1), "Maria"
    )
    assert page.status_code == 422
    assert "At most 80 characters." in page.get_data(as_text=True)
    assert User.get_by_id(user.id).last_name == ""
