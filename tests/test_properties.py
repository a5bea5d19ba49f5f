"""Properties over generated front matter and bodies: the loader only reports problems, output runs no content script."""

from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.build import Paths, build_model, check_content
from builder.load import load_document, parse_document
from builder.markup import render_body
from builder.problems import Problem
from builder.render import render_site
from builder.schema import PRACTICE
from builder.validate import check_practice
from hostile import BODY, FRONT, ROOT, config, inline_code, make_tree

CONTEXT = {"regions": {"posavje"}, "themes": {"research-and-innovation"}, "static": ROOT / "static"}
FIELDS = [field.name for field in PRACTICE]
YAML_BITS = st.sampled_from([":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a", "*a", "!!", "!!python/object:os.system",
                             "|", ">", "'", '"', "#", "%", "@", "`", "?", "\n", "  ", "\t", "---", "...", "<<: ", "yes",
                             "NO", "2021-02-30", "1e3", ".nan", "~", "\\u0000", "\ufeff", "\r\n"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.dates().map(str), st.sampled_from(["posavje", "research-and-innovation", "regional", "2021-03-15"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=12)
HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>', "<svg onload=alert(1)>", "<style>*{}</style>", '<p style="x">',
    '<iframe srcdoc="<script>alert(1)</script>">', "<object data=x>", '<math><mi><style><img src=x onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "<!--<script>-->", "<![CDATA[<script>]]>",
    "</div></article><script>alert(1)</script>", '"><script>alert(1)</script>', "{{ 7*7 }}", "{% raw %}",
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "<a href='vbscript:x'>v</a>", "<form action=x><button>",
    "<base href=//evil.example/>", "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>", "<template><script>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">d</a>", "<details open ontoggle=alert(1)>", "<x onclick=alert(1)>",
])
BODIES = st.lists(HOSTILE | st.text(max_size=20) | st.sampled_from(["\n\n", "## Description\n", "> ", "* ", "`", "```\n"]),
                  max_size=12).map("".join)


@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_reported(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "x.md"
    path.write_bytes(b"---\n" + data)
    document, problems = load_document(path)
    assert all(isinstance(problem, Problem) for problem in problems)
    assert (document is None) == bool(problems)


@given(st.lists(YAML_BITS | st.text(max_size=10) | st.sampled_from(FIELDS), max_size=40).map("".join))
def test_any_front_matter_text_is_read_or_reported(text):
    document, problems = parse_document(Path("content/practices/x.md"), f"---\n{text}\n---\nbody\n")
    assert all(isinstance(problem, Problem) for problem in problems)
    if document is not None:
        assert all(isinstance(problem, Problem) and problem.line >= 1 for problem in check_practice(document, CONTEXT))


@given(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), VALUES, max_size=12))
def test_any_front_matter_values_are_validated_without_traceback(meta):
    text = yaml.safe_dump(meta, allow_unicode=True, default_flow_style=False)
    document, problems = parse_document(Path("content/practices/x.md"), f"---\n{text}---\nbody\n")
    assert all(isinstance(problem, Problem) for problem in problems)
    if document is not None:
        found = check_practice(document, CONTEXT)
        assert all(isinstance(problem, Problem) and "\n" not in problem.message for problem in found)


@given(BODIES)
def test_sanitised_bodies_hold_no_script(body):
    html = render_body(body, "/static/").html
    assert inline_code(html) == []
    assert "<script" not in html.lower() and "<iframe" not in html.lower() and "<base" not in html.lower()


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory) -> Paths:
    """One content tree reused by every example; its one practice file is rewritten each time."""
    folder = tmp_path_factory.mktemp("tree")
    paths = make_tree(folder)
    return Paths(folder / paths.content, paths.templates, folder / paths.static, folder / paths.output)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30) | HOSTILE


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(title=TEXT, summary=TEXT, organisation=TEXT, keywords=st.lists(TEXT, max_size=3), body=BODIES)
def test_no_page_runs_script_from_content(small_tree, title, summary, organisation, keywords, body):
    front = yaml.safe_dump({"title": title, "summary": summary, "organisation": organisation, "keywords": keywords},
                           allow_unicode=True)
    rest = "".join(line + "\n" for line in FRONT.splitlines() if not line.startswith(("title", "summary", "organisation")))
    (small_tree.content / "practices" / "good.md").write_text(f"---\n{front}{rest}---\n{body}\n\n{BODY}", encoding="utf-8")
    content = check_content(small_tree)
    if any(problem.severity == "error" for problem in content.problems):
        return
    files = render_site(build_model(content, small_tree, config()), small_tree.templates)
    for name, data in files.items():
        if name.endswith((".html", ".xml")):
            assert inline_code(data.decode("utf-8")) == [], name
        if name.endswith(".xml"):
            ElementTree.fromstring(data)  # the feed and the sitemap stay well-formed
