"""Pure work over many items in forked workers, each item within a time limit: a worker past it is killed.

Python-Markdown has inputs that take minutes (some 40 KB of `[x](` took 90 s). A thread cannot be
stopped and a pool cannot give up on one task, so each worker is a forked process of our own that
sends back one result per item; when an item takes longer than the limit, the worker is killed (not
waited for), the item gets the `refused` result, and a new worker goes on with the rest of its share.
"""

import multiprocessing
import os
import time
import traceback
from multiprocessing.connection import wait

from .workers import PARENT, die_with_parent, shared_memory

LIMIT = 5.0  # seconds per item: an ordinary 1 MB practice renders in about a second


def run_limited(function, items: list, refused, jobs: int = 1, limit: float = LIMIT) -> list:
    """`function(item)` for each item, in order; `refused(item)` for an item that is not done within `limit` seconds."""
    if not items:
        return []
    if "fork" not in multiprocessing.get_all_start_methods():  # no fork (Windows): in this process, without a limit
        return [function(item) for item in items]
    with shared_memory():
        return limited(function, items, refused, jobs, limit)


def limited(function, items: list, refused, jobs: int, limit: float) -> list:
    """`run_limited` over forked workers."""
    results: list = [None] * len(items)
    jobs = max(1, min(jobs, len(items)))
    workers = dict(start_worker(function, items, list(range(start, len(items), jobs))) for start in range(jobs))
    while workers:
        ready = wait(list(workers), timeout=max(0.01, min(started for _, _, started in workers.values()) + limit - time.monotonic()))
        for connection in list(workers):
            process, share, started = workers.pop(connection)
            if connection in ready:
                outcome = receive(connection)
            elif time.monotonic() - started > limit:
                process.kill()  # not waited for: the item may never end
                outcome = None
            else:
                workers[connection] = process, share, started
                continue
            results[share[0]] = refused(items[share[0]]) if outcome is None else outcome
            if outcome is not None and share[1:]:
                workers[connection] = process, share[1:], time.monotonic()
                continue
            connection.close()
            process.join()
            if share[1:]:
                connection, worker = start_worker(function, items, share[1:])
                workers[connection] = worker
    return results


def receive(connection):
    """A worker's next result; None when the worker died (a crash in a C library, say)."""
    try:
        outcome = connection.recv()
    except (EOFError, OSError):
        return None
    if isinstance(outcome, Failure):
        raise RuntimeError(f"a worker failed:\n{outcome.trace}")
    return outcome


class Failure:
    """A Python error in a worker, sent back to be raised where it can be seen."""

    def __init__(self, trace: str):
        self.trace = trace


def start_worker(function, items: list, share: list[int]):
    """A forked process that sends `function(items[index])` for each index of its share, in order."""
    context = multiprocessing.get_context("fork")
    PARENT[0] = os.getpid()
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=work, args=(function, items, share, child), daemon=True)
    process.start()
    child.close()
    return parent, (process, share, time.monotonic())


def work(function, items: list, share: list[int], connection) -> None:
    """The worker's loop; it ends with its share, or is killed (also when the build is)."""
    die_with_parent()
    try:
        for index in share:
            connection.send(function(items[index]))
    except Exception:  # a bug, not a hostile input: shown to the parent with its traceback
        connection.send(Failure(traceback.format_exc()))
    connection.close()
    os._exit(0)  # skip the exit handlers, which belong to the parent
