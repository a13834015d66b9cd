"""Whether ops record their parents (recording.py): no_grad and enable_grad, nested, after an error, per thread."""

from __future__ import annotations

import asyncio
import threading

import pytest

import autograd
from autograd import Value


def test_no_grad_restores_state_after_an_error():
    with pytest.raises(ZeroDivisionError), autograd.no_grad():
        Value(1.0) / 0
    assert autograd.is_grad_enabled()


def test_no_grad_belongs_to_the_thread_that_opens_it():
    # Two threads open and close no_grad() interleaved (A opens, B opens, A closes, B closes).
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def thread_a():
        with autograd.no_grad():
            a_in.set()
            b_in.wait(5)
            seen["a inside"] = autograd.is_grad_enabled()
        a_out.set()

    def thread_b():
        a_in.wait(5)
        with autograd.no_grad():
            b_in.set()
            a_out.wait(5)
            seen["b inside after a left"] = autograd.is_grad_enabled()
            seen["b records"] = bool((Value(1.0) * 2).parents)
        seen["b after"] = autograd.is_grad_enabled()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    seen["main while both inside"] = autograd.is_grad_enabled()
    for t in threads:
        t.join(10)
    assert seen == {
        "a inside": False,
        "b inside after a left": False,
        "b records": False,
        "b after": True,
        "main while both inside": True,
    }
    x = Value(3.0)
    (x * x).backward()  # and recording is on again everywhere
    assert x.grad == 6.0


def test_nested_no_grad_restores_what_held_before():
    with autograd.no_grad():
        with autograd.no_grad():
            assert not autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()
        with autograd.enable_grad():
            assert autograd.is_grad_enabled()
            assert (Value(1.0) * 2).parents
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_no_grad_belongs_to_the_async_task_that_opens_it():
    # Task A opens no_grad() and waits inside it; task B, running meanwhile, still records.
    seen = {}

    async def main():
        a_inside, b_done = asyncio.Event(), asyncio.Event()

        async def task_a():
            with autograd.no_grad():
                a_inside.set()
                await b_done.wait()
                seen["a inside"] = autograd.is_grad_enabled()
                seen["a records"] = bool((Value(1.0) * 2).parents)

        async def task_b():
            await a_inside.wait()
            seen["b while a is inside"] = autograd.is_grad_enabled()
            seen["b records"] = bool((Value(1.0) * 2).parents)
            b_done.set()

        await asyncio.gather(task_a(), task_b())

    # In a thread of its own: the browser tests' Playwright may keep an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(main(),))
    runner.start()
    runner.join()
    assert seen == {"a inside": False, "a records": False, "b while a is inside": True, "b records": True}
    assert autograd.is_grad_enabled()
