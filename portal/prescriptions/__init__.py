"""Prescriptions: intake, the fill workflow, pharmacist verification and the safety checks
(intake/, fills/, verification/, screening/, sig/)."""

from flask import Blueprint, Flask

from portal.foundation import demo as demo_data
from portal.foundation import nav, start_page
from portal.foundation.i18n import lazy_gettext as _l

# Who works on prescriptions; managers may look at the queues and records.
WORK_ROLES = ("technician", "pharmacist")
VIEW_ROLES = ("technician", "pharmacist", "manager")

bp = Blueprint("prescriptions", __name__)


def init_app(app: Flask) -> None:
    from portal.prescriptions import demo, patient_search, rx_search, settings, views  # noqa: F401
    from portal.prescriptions.controlled import commands as controlled_commands
    from portal.prescriptions.controlled import follow_ups, lapsed, partial_views  # noqa: F401
    from portal.prescriptions.controlled import settings as controlled_settings  # noqa: F401
    from portal.prescriptions.controlled import views as controlled_views  # noqa: F401
    from portal.prescriptions.fills import (  # noqa: F401
        counter_views,
        history,
        queues,
        receipt_views,
    )
    from portal.prescriptions.fills import views as fill_views  # noqa: F401  (routes)
    from portal.prescriptions.intake import views as intake_views  # noqa: F401  (routes)
    from portal.prescriptions.verification import clarify_views  # noqa: F401  (routes)
    from portal.prescriptions.verification import views as verify_views  # noqa: F401

    app.register_blueprint(bp)
    demo_data.add_refusal(app, demo.real_data_reason)
    demo_data.add_loader(app, demo.load)
    history.register()
    controlled_commands.init_app(app)
    rx_search.register()
    nav.add(app, _l("New Rx"), "prescriptions.intake", roles=WORK_ROLES, order=12)
    nav.add(app, _l("Queues"), "prescriptions.queue", roles=VIEW_ROLES, order=14)
    nav.add(app, _l("Is it ready?"), "prescriptions.ready_lookup", order=16)
    start_page.add(app, _l("Prescriptions"), queues.today_lines, roles=VIEW_ROLES, order=10)

    def controlled_lines(user) -> list:
        """The controlled-substance card: lapsed partial-fill remainders, C-II follow-ups."""
        return lapsed.today_lines(user) + follow_ups.today_lines(user)

    start_page.add(app, _l("Controlled substances"), controlled_lines, roles=VIEW_ROLES, order=11)
