"""Whether ops record their parents: on everywhere, except inside ``no_grad()`` in this thread (or async task)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_recording: ContextVar[bool] = ContextVar("chainrule_recording", default=True)
_paused = 0  # no_grad() blocks open in any thread; while 0, every thread records (one global read per node)
_paused_lock = threading.Lock()


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return _paused == 0 or _recording.get()


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block ops record no parents: results are leaves and nothing can flow back.

    The setting belongs to the thread (or async task) that opens the block, and a block
    restores what held before it, so blocks nest.
    """
    global _paused
    with _paused_lock:
        _paused += 1
    token = _recording.set(False)
    try:
        yield
    finally:
        _recording.reset(token)
        with _paused_lock:
            _paused -= 1


@contextmanager
def enable_grad() -> Iterator[None]:
    """Record again inside a ``no_grad()`` block (for this thread or task)."""
    token = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(token)
