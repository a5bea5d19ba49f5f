"""Spreading pure, expensive work (Markdown, templates) over worker processes, in order.

Workers are forked, so they start in milliseconds and see the parent's modules and data as they
were at the fork; the parent works beside them, and results come back in the order of the input.
Below `MIN_ITEMS` items, or with one job, the work runs in this process: a pool costs more than it
saves on a small site.
"""

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

MIN_ITEMS = 200
PR_SET_PDEATHSIG = 1
PARENT = [os.getpid()]  # the process that forks the workers; set again before each pool


def default_jobs() -> int:
    """The number of processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it ends, even by SIGKILL."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != PARENT[0]:  # the parent died before the request took effect
            os._exit(1)


def chunks(items: list, count: int) -> list[list]:
    """`items` cut into `count` runs of nearly equal length, in order."""
    size, extra = divmod(len(items), count)
    runs, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        runs.append(items[start:end])
        start = end
    return [run for run in runs if run]


def run_chunks(function, items: list, jobs: int) -> list:
    """`function(chunk)` over chunks of `items` (each returns a list), concatenated in order.

    This process takes a share too: chunks go to `jobs - 1` workers from the front and to this process
    from the back until they meet, so one process fewer makes its own copy of the data it reads.
    """
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return function(items)
    PARENT[0] = os.getpid()
    parts = chunks(items, jobs * 8)  # many chunks, so neither side waits long for the other at the end
    results: list = [None] * len(parts)
    with shared_memory(), ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"),
                                              initializer=die_with_parent) as pool:
        sent: dict = {}
        front, back = 0, len(parts)
        while front < back:
            while len(sent) < 2 * (jobs - 1) and front < back:  # each worker one chunk ahead
                sent[front] = pool.submit(function, parts[front])
                front += 1
            if front < back:
                back -= 1
                results[back] = function(parts[back])
            for index in [index for index, future in sent.items() if future.done()]:
                results[index] = sent.pop(index).result()
        for index, future in sent.items():
            results[index] = future.result()
    return [result for part in results for result in part]


@contextlib.contextmanager
def shared_memory():
    """While forked workers run: the parent's objects are left out of garbage collection, in it and in them.

    A collection writes to every object it visits, so a worker's first one would copy each memory page
    it shares with the parent; frozen objects are never visited.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
