"""builder.links: the link check gives the same answer in one process and over forked workers."""

from builder.config import Config
from builder.links import Origin, check_links

CONFIG = Config(base_url="https://example.org/portal/")


def site(pages: int) -> dict[str, bytes]:
    """`pages` pages linking to each other by root paths, by relative paths and to anchors, one link broken each."""
    files = {}
    for number in range(pages):
        links = (f'<a href="/portal/p{(number + 1) % pages}/">next</a> <a href="../p{number}/#top">top</a> '
                 f'<a href="/portal/missing-{number % 3}/">gone</a> <a href="#nowhere">x</a>')
        files[f"p{number}/index.html"] = f'<!doctype html><h1 id="top">P{number}</h1>{links}'.encode()
    return files


def test_workers_and_one_process_find_the_same_broken_links():
    files = site(250)
    origins = {path: Origin("templates") for path in files}
    alone, shared = check_links(files, CONFIG, origins, jobs=1), check_links(files, CONFIG, origins, jobs=2)
    assert alone == shared
    # three missing pages and one missing anchor, each reported once for the templates that hold them
    assert sorted(problem.message.split(" (on ")[0] for problem in alone) == [
        "the link `#nowhere` points to `#nowhere`, which is not on that page",
        "the link `/portal/missing-0/` leads to no page or file of the site",
        "the link `/portal/missing-1/` leads to no page or file of the site",
        "the link `/portal/missing-2/` leads to no page or file of the site",
    ]
