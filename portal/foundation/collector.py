"""Python's cycle collector held off while much is made at once (a start, a label batch)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off the cycle collector for the block: each full collection would walk every
    object made so far again. Reference counting still frees what it can, and the collector
    runs again after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
