"""Waiting for long work (portal.foundation.long_work) in tests: poll its progress page as
the browser does until it sends the user on, then open where it leads."""

import time


def finish(client, response, timeout: float = 60):
    """The page long work ends on, from the answer to the press (a 303 to its progress)."""
    assert response.status_code == 303, response.status_code
    address = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(address)
        if answer.status_code in (302, 303):
            return client.get(answer.headers["Location"])
        assert answer.status_code == 200, answer.status_code
        time.sleep(0.05)
    raise AssertionError(f"long work at {address} did not finish in {timeout} s")
