"""Work spread over forked workers: in order, with the parent doing a share of it, and the open data made before the fork."""

import os

from builder.produce import produce
from builder.render import Output
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


def test_the_open_data_files_are_made_in_the_main_process_before_the_workers_fork(tmp_path):
    def pid(env, site) -> bytes:
        return str(os.getpid()).encode()
    outputs = [Output("data/practices.json", (), None, pid, reads_all=True)]  # first: where a worker starts
    outputs += [Output(f"page-{number:04d}.txt", number, None, pid) for number in range(MIN_ITEMS * 2)]
    produce(outputs, [""] * len(outputs), None, None, None, None, tmp_path, 2)
    makers = {path.read_text() for path in tmp_path.glob("page-*.txt")}
    assert (tmp_path / "data" / "practices.json").read_text() == str(os.getpid())
    assert makers - {str(os.getpid())}  # the pages are shared with a worker
