"""Mortar: a pharmacy portal for small independent and compounding pharmacies."""

import gc


def create_app(test_config=None):
    """Build the app (portal/app.py), with the garbage collector paused meanwhile.

    A start makes several hundred thousand objects that live as long as the process: modules,
    classes, models, routes, templates. The collector would walk them again and again while
    they are made, and at every full collection after. So it is paused while the app is
    built, and the first app a process builds is frozen (gc.freeze: kept out of every later
    collection, as Python's documentation advises for such objects). Later builds are left
    to the collector: tests build thousands of apps in one process."""
    from portal.foundation.collector import collector_paused

    with collector_paused():
        from portal.app import build

        app = build(test_config)
        if gc.get_freeze_count() == 0:
            gc.freeze()
    return app
