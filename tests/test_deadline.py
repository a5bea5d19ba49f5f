"""builder.deadline and the pathological inputs: no body can hang a build."""

import time
from functools import partial

import pytest

from builder.deadline import LIMIT, run_limited
from builder.markup import TOO_COMPLEX, render_limited, refuse
from tests.hostile import BODY, FRONT, make_tree, practice, problems_of
from tests.pathological import CASES


def slow_square(number: int) -> int:
    """The square of a number; 3 never ends, 5 kills its own process."""
    if number == 3:
        time.sleep(3600)
    if number == 5:
        import os
        os._exit(1)
    return number * number


def test_an_item_past_the_limit_is_refused_and_its_worker_killed_not_waited_for():
    started = time.monotonic()
    results = run_limited(slow_square, list(range(8)), lambda item: f"refused {item}", jobs=2, limit=1.0)
    assert results == [0, 1, 4, "refused 3", 16, "refused 5", 36, 49]
    assert time.monotonic() - started < 3.0


def test_a_python_error_in_a_worker_is_raised_not_hidden():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_limited(lambda number: 1 / number, [1, 0], lambda item: None, limit=5.0)


@pytest.mark.parametrize("limit", [2.0])
def test_every_pathological_case_renders_or_is_refused_within_the_limit(limit):
    texts = list(CASES.values())
    started = time.monotonic()
    bodies = run_limited(partial(render_limited, static_url="/static/", sizes={}), texts, refuse, jobs=2, limit=limit)
    elapsed = time.monotonic() - started
    for name, body in zip(CASES, bodies):
        refused = any(message == TOO_COMPLEX for _, message, _ in body.notes)
        assert refused != bool(body.html) or not CASES[name].strip(), name
    # Two workers, each item within the limit (and a little for starting and killing processes).
    assert elapsed < limit * (len(texts) + 1) / 2 + 5


def test_a_body_too_complex_to_render_is_an_error_at_its_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = make_tree(tmp_path, {"good.md": practice(FRONT, BODY + "[x](" * 40_000)})
    started = time.monotonic()
    problems = problems_of(paths)
    assert time.monotonic() - started < LIMIT + 10
    assert problems == [f"content/practices/good.md:10: {TOO_COMPLEX}"]
