"""Firing requests at the same moment, as several terminals would (each its own connection)."""

import threading

from portal.foundation.db import db
from tests.factories import make_user, sign_in


def signed_in_clients(app, count: int, *roles: str) -> list:
    """``count`` test clients, each a counter terminal signed in as a new user with ``roles``."""
    clients = []
    for _ in range(count):
        client = app.test_client()
        sign_in(client, make_user(roles=roles))
        clients.append(client)
    return clients


def at_once(calls: list) -> list:
    """Run every call in its own thread, released together; their results in order.

    An exception in a call (a server error under TESTING) is raised here."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            results[index] = error
        finally:
            if not db.is_closed():
                db.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results
