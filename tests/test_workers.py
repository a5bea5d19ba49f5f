"""Work spread over forked workers: in order, and with the parent doing a share of it."""

import os

from builder.workers import MIN_ITEMS, run_chunks


def tagged(chunk: list) -> list:
    """Each item with the process that handled it."""
    return [(item, os.getpid()) for item in chunk]


def test_results_keep_the_order_of_the_items_and_the_parent_works_beside_its_workers():
    items = list(range(MIN_ITEMS * 5))
    results = run_chunks(tagged, items, 3)
    assert [item for item, _ in results] == items
    processes = {pid for _, pid in results}
    assert os.getpid() in processes and len(processes) == 3  # two workers and this process


def test_a_small_list_is_handled_in_this_process():
    assert {pid for _, pid in run_chunks(tagged, list(range(MIN_ITEMS - 1)), 2)} == {os.getpid()}
