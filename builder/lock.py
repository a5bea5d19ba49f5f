"""One build at a time per output and per cache: a second build waits for the first, then goes on.

The lock is `flock` on a folder that stays in place: the output's parent (the output itself is
exchanged by every build) and the cache folder. No lock file is left beside the output, and the
system drops a lock the moment its process ends, even by SIGKILL, so a killed build never blocks
the next one.
"""

import fcntl
import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

WAIT = 600  # seconds a build waits for another one before it gives up
POLL = 0.1


class Busy(Exception):
    """Another build kept the lock for longer than WAIT seconds."""


@contextmanager
def exclusive(folder: Path, what: str, wait: float = WAIT):
    """Hold the lock of `folder` (created if missing) for the body; wait, saying so, while another build holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))  # not inherited by child processes
    try:
        if not attempt(handle):
            print(f"Another build is writing {what}; waiting for it to finish…", file=sys.stderr, flush=True)
            deadline = time.monotonic() + wait
            while not attempt(handle):
                if time.monotonic() > deadline:
                    raise Busy(f"another build has been writing {what} for more than {wait / 60:g} minutes; "
                               "stop it, or wait for it and build again")
                time.sleep(POLL)
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock


def attempt(handle: int) -> bool:
    """Take the lock if it is free."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextmanager
def building(output: Path, cache_folder: Path | None, wait: float = WAIT):
    """The locks of one build: its output, then its cache (always in this order, so two builds cannot deadlock)."""
    with ExitStack() as stack:
        target = output.resolve()
        stack.enter_context(exclusive(target.parent, f"the site into `{output}`", wait))
        if cache_folder is not None:
            stack.enter_context(exclusive(cache_folder.resolve(), f"the cache `{cache_folder}`", wait))
        yield
