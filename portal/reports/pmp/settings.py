"""The state PMP's SFTP server, as settings; the password is kept apart, in a file in the
instance folder readable by the portal's own account only (never in the settings table,
which the settings page shows and the audit trail records)."""

import os
from pathlib import Path

from flask import current_app

from portal.foundation import settings
from portal.foundation.i18n import N_
from portal.foundation.i18n import lazy_gettext as _l
from portal.reports.pmp.asap import AIR_FOR, AIR_FOR_ALL

AREA = N_("State PMP reporting")

settings.define(
    "pmp.air_for",
    AIR_FOR_ALL,
    _l("Send the AIR segment (who picked up, their ID, the pharmacist) for"),
    kind="choice",
    choices=AIR_FOR,
    area=AREA,
    help=_l(
        "As the state's ASAP 4.2A data submission guide asks: some states want it for "
        "C-II only, others for every controlled substance."
    ),
)

settings.define(
    "pmp.sftp_host",
    "",
    _l("PMP SFTP server"),
    kind="str",
    area=AREA,
    help=_l(
        "The state's SFTP host name, e.g. sftp.pmpclearinghouse.net. Empty: "
        "files are only downloaded."
    ),
)
settings.define(
    "pmp.sftp_port", 22, _l("PMP SFTP port"), kind="int", minimum=1, maximum=65535, area=AREA
)
settings.define("pmp.sftp_username", "", _l("PMP SFTP user name"), kind="str", area=AREA)
settings.define(
    "pmp.sftp_directory",
    "/",
    _l("PMP SFTP folder for uploads"),
    kind="str",
    area=AREA,
    help=_l("Where the state's guide says to put files, e.g. /homedir/new."),
)
settings.define(
    "pmp.send_hour",
    3,
    _l("Send yesterday's PMP file at (hour, 0-23)"),
    kind="int",
    minimum=0,
    maximum=23,
    area=AREA,
    help=_l(
        "`flask pmp send-daily`, run hourly by the server's scheduler, sends "
        "at this hour of the pharmacy's day."
    ),
)


def _secrets() -> Path:
    path = Path(current_app.instance_path) / "pmp"
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def password_path() -> Path:
    return _secrets() / "sftp-password"


def known_hosts_path() -> Path:
    """The state server's host key, checked on every connection (never trusted blindly)."""
    return _secrets() / "known_hosts"


def save_password(password: str) -> None:
    """Write the password owner-only (0600), replacing any before."""
    path = password_path()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(password)


def read_password() -> str:
    path = password_path()
    return path.read_text() if path.exists() else ""


def server() -> dict:
    return {
        "host": str(settings.get("pmp.sftp_host") or "").strip(),
        "port": int(settings.get("pmp.sftp_port") or 22),
        "username": str(settings.get("pmp.sftp_username") or "").strip(),
        "directory": str(settings.get("pmp.sftp_directory") or "/").strip() or "/",
    }


settings.define(
    "pmp.revision_days",
    365,
    "Revise PMP records of dispensings up to (days old) when a patient or prescriber is edited",
    kind="int",
    minimum=1,
    maximum=3650,
    area=AREA,
    help="An edit to a patient's name, birth date, sex, address or phone, or to a prescriber's "
    "name, NPI, DEA number or phone (ASAP 4.2A carries no prescriber address), queues a "
    "revision of each dispensing already reported (and not voided) filled within this many "
    "days, in the next daily file.",
)
