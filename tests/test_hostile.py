"""Hostile and broken content: each case is a small content tree and its exact problems or exact safe output."""

import os
import re

import pytest

from builder.schema import SECTIONS

from builder.links import Origin, check_links
from builder.problems import ContentError
from hostile import FRONT, BODY, built, config, make_tree, practice, problems_of

GOOD = "content/practices/good.md"
FIRST_BODY_LINE = 10  # after `---`, the seven default fields and `---`


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """Make a content tree in a fresh folder and work from there, so problems name `content/...`."""
    monkeypatch.chdir(tmp_path)
    return lambda practices=None: make_tree(tmp_path, practices)


def prose(files: dict, slug: str = "good") -> str:
    """The sanitised body as it appears on the practice page."""
    page = files[f"practices/{slug}/index.html"]
    return page.split('<div class="prose">\n', 1)[1].split("\n  </div>\n</article>", 1)[0]


def with_body(extra: str) -> str:
    """The default practice with `extra` as the first lines of its body."""
    return practice(body=extra + "\n\n" + BODY)


# Sanitising -----------------------------------------------------------------------------------

def test_script_element_is_removed_and_reported(tree):
    paths = tree({"good.md": with_body('Hello <script>alert("x")</script> world.')})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML element `<script>` is not allowed in the text and was removed",
    ]
    assert prose(built(paths)).startswith("<p>Hello  world.</p>\n<h2")


def test_event_handler_attributes_are_removed(tree):
    paths = tree({"good.md": with_body('<a href="https://example.com/" onclick="steal()" onmouseover="x()">site</a>')})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML attribute `onclick` is not allowed in the text and was removed",
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML attribute `onmouseover` is not allowed in the text and was removed",
    ]
    assert prose(built(paths)).startswith('<p><a href="https://example.com/" rel="noopener noreferrer">site</a></p>')


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
                                 "data:text/html,<b>x</b>", "java&#9;script:alert(1)", "&#106;avascript:alert(1)"])
def test_dangerous_link_schemes_lose_their_address(tree, url):
    paths = tree({"good.md": with_body(f'<a href="{url}">click</a>')})
    shown = url.replace("&#9;", " ").replace("&#106;", "j")
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the link `{shown}` was removed: only https, http and mailto links are allowed",
    ]
    assert prose(built(paths)).startswith('<p><a rel="noopener noreferrer">click</a></p>')


def test_markdown_javascript_link_loses_its_address(tree):
    paths = tree({"good.md": with_body("[click](javascript:alert(document.cookie))")})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the link `javascript:alert(document.cookie)` was removed: "
        "only https, http and mailto links are allowed",
    ]
    assert prose(built(paths)).startswith('<p><a rel="noopener noreferrer">click</a></p>')


@pytest.mark.parametrize("element", ["style", "iframe", "object", "embed", "form"])
def test_active_elements_are_removed(tree, element):
    html = {"style": "<style>body{display:none}</style>", "iframe": '<iframe src="https://evil.example/"></iframe>',
            "object": '<object data="x.swf"></object>', "embed": '<embed src="x.swf">',
            "form": '<form action="https://evil.example/"><input name="password"></form>'}[element]
    paths = tree({"good.md": with_body(f"<div>{html}</div>")})
    expected = [f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML element `<{element}>` is not allowed in the text and was removed"]
    if element == "form":
        expected.append(f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML element `<input>` is not allowed in the text and was removed")
    assert problems_of(paths) == expected
    assert prose(built(paths)).startswith('<div></div>\n\n<h2 id="description">')


def test_style_attribute_is_removed(tree):
    paths = tree({"good.md": with_body('<p style="position:fixed;top:0">Look</p>')})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the HTML attribute `style` is not allowed in the text and was removed",
    ]
    assert prose(built(paths)).startswith("<p>Look</p>")


def test_mutation_xss_through_noscript_and_svg_stays_inert(tree):
    body = ('<noscript><p title="</noscript><img src=favicon.svg alt=i onerror=alert(1)>"></noscript>\n\n'
            '<svg><style><img src=favicon.svg alt=i onerror=alert(2)></style></svg>\n\n<math><mi><style><img src=favicon.svg alt=i onerror=alert(3)>')
    paths = tree({"good.md": with_body(body)})
    assert problems_of(paths) == sorted([
        f"{GOOD}:10: warning: the HTML element `<noscript>` is not allowed in the text and was removed",
        f"{GOOD}:12: warning: the HTML element `<style>` is not allowed in the text and was removed",
        f"{GOOD}:12: warning: the HTML element `<svg>` is not allowed in the text and was removed",
        f"{GOOD}:14: warning: the HTML element `<math>` is not allowed in the text and was removed",
    ] + [f"{GOOD}:10: warning: the section `## {section}` is missing" for section in SECTIONS])
    # The unclosed <style> inside <math> swallows the rest of the text, sections too: lost, but inert.
    image = '<img src="/portal/static/favicon.svg" alt="i" width="32" height="32" loading="lazy" decoding="async">'
    assert prose(built(paths)) == f'{image}"&gt;\n\n<p>{image}</p>\n'



def test_external_links_get_noopener_noreferrer(tree):
    paths = tree({"good.md": with_body("See [the programme](https://example.com/programme) and <https://example.net/>.")})
    assert problems_of(paths) == []
    assert prose(built(paths)).startswith(
        '<p>See <a href="https://example.com/programme" rel="noopener noreferrer">the programme</a> and '
        '<a href="https://example.net/" rel="noopener noreferrer">https://example.net/</a>.</p>')


def test_image_from_another_site_becomes_its_alt_text(tree):
    paths = tree({"good.md": with_body('![A <b>tracking</b> pixel](https://tracker.example/p.gif "t")')})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the image `https://tracker.example/p.gif` is not a file in static/, "
        "so only its text is shown; add the file to static/ and write its path, such as images/photo.jpg",
    ]
    assert prose(built(paths)).startswith("<p>A &lt;b&gt;tracking&lt;/b&gt; pixel</p>")


def test_image_without_alt_gets_an_empty_one_and_a_warning(tree):
    paths = tree({"good.md": with_body('<img src="favicon.svg">')})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: an image has no `alt` text; describe what it shows for readers who cannot see it",
    ]
    assert prose(built(paths)).startswith('<p><img src="/portal/static/favicon.svg" alt="" width="32" height="32" loading="lazy" decoding="async"></p>')


def test_template_syntax_in_content_appears_as_written(tree):
    front = FRONT.replace("title: A good practice", "title: \"{{ 7*7 }} and {% raw %}\"")
    paths = tree({"good.md": practice(front, "Seven times seven is {{ 7*7 }}; {% if x %}{{ config }}{% endif %}\n\n" + BODY)})
    assert problems_of(paths) == []
    page = built(paths)["practices/good/index.html"]
    assert "<h1 data-pagefind-meta=\"title\" data-pagefind-weight=\"10\">{{ 7*7 }} and {% raw %}</h1>" in page
    assert "<p>Seven times seven is {{ 7*7 }}; {% if x %}{{ config }}{% endif %}</p>" in page
    assert re.search(r">[^<]*\b49\b[^<]*<", page) is None  # no text anywhere says 49 (map paths may hold the digits)


def test_front_matter_values_are_escaped_everywhere(tree):
    front = (FRONT.replace("title: A good practice", "title: \"<script>alert(1)</script>\"")
             .replace("organisation: RRA Posavje", "organisation: \"Smith & Sons <b onmouseover=x()>\"")
             + 'keywords: ["\\"><img src=x onerror=alert(2)>"]\n')
    paths = tree({"good.md": practice(front)})
    assert problems_of(paths) == []
    files = built(paths)
    page = files["practices/good/index.html"]
    assert '<h1 data-pagefind-meta="title" data-pagefind-weight="10">&lt;script&gt;alert(1)&lt;/script&gt;</h1>' in page
    assert "<dt>Organisation</dt><dd>Smith &amp; Sons &lt;b onmouseover=x()&gt;</dd>" in page
    assert "<dt>Keywords</dt><dd>&#34;&gt;&lt;img src=x onerror=alert(2)&gt;</dd>" in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in files["feed.xml"]
    markup = "".join(text for name, text in files.items() if name.endswith((".html", ".xml")))
    assert "<script>alert" not in markup and "<img src=x" not in markup and "<b onmouseover" not in markup


def test_csv_cells_that_would_run_as_formulas_are_inert(tree):
    front = (FRONT.replace("title: A good practice", "title: \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"")
             .replace("organisation: RRA Posavje", "organisation: \"@SUM(1+1)\"")
             + "keywords: [\"+cmd|' /C calc'!A0\", \"-2+3\"]\nlocation: {lat: -33.5, lon: -70.6}\n")
    paths = tree({"good.md": practice(front)})
    assert problems_of(paths) == []
    files = built(paths)
    row = files["data/practices.csv"].split("\n")[1]
    assert row.startswith("good,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",A short summary.,posavje,")
    assert ",'@SUM(1+1),regional," in row and ",'+cmd|' /C calc'!A0; -2+3," in row and ",-33.5,-70.6," in row
    assert '"title": "=HYPERLINK(\\"https://evil.example\\",\\"x\\")"' in files["data/practices.json"]


# Parsing limits -------------------------------------------------------------------------------

def test_file_over_one_megabyte_is_refused(tree):
    paths = tree({"good.md": practice(body="x" * 1_000_001)})
    assert problems_of(paths) == [f"{GOOD}:1: the file is larger than 1 MB; is it really a practice?"]


def test_yaml_alias_bomb_is_refused(tree):
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
    paths = tree({"good.md": practice(FRONT + "\n".join(levels) + "\n")})
    assert problems_of(paths) == [
        f"{GOOD}:10: the front matter uses YAML anchors or aliases (`&` or `*`); write each value out in full",
    ]


def test_deeply_nested_yaml_is_refused_without_crashing(tree):
    paths = tree({"good.md": practice(FRONT + "keywords: " + "[" * 200_000 + "]" * 200_000 + "\n")})
    assert problems_of(paths) == [f"{GOOD}:9: the front matter is nested more than 10 levels deep; no field needs that"]


def test_deeply_nested_body_is_an_error_not_a_traceback(tree):
    paths = tree({"good.md": practice(body="*" * 3000 + "x" + "*" * 3000 + "\n\n" + BODY)})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: the text is too complex to render (for example thousands of `[`, `>` or `*` in a row); "
        "simplify it",
    ]
    with pytest.raises(ContentError):
        built(paths)


def test_bytes_that_are_not_utf8_are_reported_with_line_and_column(tree):
    text = practice().encode("utf-8").replace(b"RRA Posavje", b"RRA Posavje \xe9t\xe9")
    paths = tree({"good.md": text})
    assert problems_of(paths) == [f"{GOOD}:6: column 27: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_byte_order_mark_and_windows_line_endings_are_accepted(tree):
    text = "\ufeff" + practice(body="Caf\u00e9 line one\n\n" + BODY).replace("\n", "\r\n")
    paths = tree({"good.md": text.encode("utf-8")})
    assert problems_of(paths) == []
    assert prose(built(paths)).startswith("<p>Café line one</p>\n<h2 id=\"description\">Description</h2>")


def test_python_object_tags_are_not_constructed(tree):
    front = FRONT + 'project: !!python/object/apply:os.system ["touch pwned"]\n'
    paths = tree({"good.md": practice(front)})
    assert problems_of(paths) == [
        f"{GOOD}:9: the front matter cannot be read: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'; check the quotes, colons and indentation",
    ]
    assert not os.path.exists("pwned")


def test_yaml_quirks_keep_values_as_written(tree):
    front = FRONT + "project: NO\nkeywords: [yes, off, 1e3, 2021-01-01]\nupdated: 2021-02-30\n"
    paths = tree({"good.md": practice(front)})
    assert problems_of(paths) == [f"{GOOD}:11: `updated`: `2021-02-30` is not a date; write it as YYYY-MM-DD, e.g. 2021-03-15"]
    paths.content.joinpath("practices/good.md").write_text(practice(front.replace("updated: 2021-02-30\n", "")))
    page = built(paths)["practices/good/index.html"]
    assert "<dt>Project</dt><dd>NO</dd>" in page and "<dt>Keywords</dt><dd>yes, off, 1e3, 2021-01-01</dd>" in page


# Paths ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("image, message", [
    ("../x.png", "`image`: `../x.png` must be a path inside static/, such as images/photo.jpg"),
    ("/etc/passwd", "`image`: `/etc/passwd` must be a path inside static/, such as images/photo.jpg"),
    ("images\\\\..\\\\..\\\\x.png", "`image`: `images\\..\\..\\x.png` must be a path inside static/, such as images/photo.jpg"),
    ("https://example.com/a.png", "`image`: `https://example.com/a.png` must be a path inside static/, such as images/photo.jpg"),
    ("missing.png", "`image`: `missing.png` is not a file in static/"),
])
def test_image_paths_stay_inside_static(tree, image, message):
    paths = tree({"good.md": practice(FRONT + f'image: "{image}"\nimage_alt: A picture\n')})
    assert problems_of(paths) == [f"{GOOD}:9: {message}"]


def test_link_to_a_file_outside_content_is_refused(tree, tmp_path):
    paths = tree()
    secret = tmp_path / "secret.md"
    secret.write_text(practice(), encoding="utf-8")
    os.symlink(secret, "content/practices/stolen.md")
    assert problems_of(paths) == [f"content/practices/stolen.md:1: is a link to `{secret}`, outside `content`; copy the file here instead"]


def test_link_to_a_folder_outside_content_is_refused(tree, tmp_path):
    paths = tree()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "other.md").write_text(practice(), encoding="utf-8")
    os.symlink(tmp_path / "elsewhere", "content/practices/more", target_is_directory=True)
    os.rename("content/regions", "content/real-regions")
    os.symlink(tmp_path / "content" / "real-regions", "content/regions", target_is_directory=True)
    assert problems_of(paths) == [
        f"content/practices/more:1: is a link to `{tmp_path / 'elsewhere'}`, outside `content`; copy the files here instead",
    ]


def test_link_in_static_to_a_file_outside_is_refused_and_never_copied(tree):
    paths = tree()
    os.symlink("/etc/passwd", "static/passwd.txt")
    assert problems_of(paths) == ["static/passwd.txt:1: is a link to `/etc/passwd`, outside `static`; copy the file here instead"]
    with pytest.raises(ContentError):
        built(paths)


def test_file_names_that_are_not_slugs_are_refused(tree):
    paths = tree({"good.md": practice(), "Bad Name.md": practice(), "..md": practice()})
    assert problems_of(paths) == [
        "content/practices/..md:1: the file name `..md` must use lower-case letters a–z, digits and hyphens, "
        "e.g. `house-of-digitalisation` before `.md`",
        "content/practices/Bad Name.md:1: the file name `Bad Name.md` must use lower-case letters a–z, digits and hyphens, "
        "e.g. `house-of-digitalisation` before `.md`",
    ]


# Links ----------------------------------------------------------------------------------------

def test_link_to_a_missing_page_names_the_content_file(tree):
    paths = tree({"good.md": with_body("Intro.\n\nSee [the other one](/portal/practices/missing/) too.")})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE + 2}: the link `/portal/practices/missing/` leads to no page or file of the site",
    ]
    with pytest.raises(ContentError):
        built(paths)


def test_anchors_must_exist_on_their_page(tree):
    body = "Jump to [the evidence](#evidence-of-success), [nowhere](#nowhere) or [home](../../#main)."
    paths = tree({"good.md": with_body(body)})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: the link `#nowhere` points to `#nowhere`, which is not on that page",
    ]


def test_links_that_climb_out_of_the_site_are_errors(tree):
    paths = tree({"good.md": with_body("[up](../../../../etc/passwd) and [other](/elsewhere/) and [ok](../../regions/posavje/)")})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: the link `../../../../etc/passwd` leads outside the site",
        f"{GOOD}:{FIRST_BODY_LINE}: the link `/elsewhere/` leads outside the site",
    ]


def test_heading_that_repeats_a_page_id_is_a_warning(tree):
    paths = tree({"good.md": with_body("## Main\n\nText.")})
    assert problems_of(paths) == [
        f"{GOOD}:{FIRST_BODY_LINE}: warning: the id `main` is used twice on the page `practices/good/index.html`, "
        "so links to `#main` are ambiguous",
    ]


def test_broken_template_links_are_reported_once_naming_the_template():
    files = {
        "index.html": b'<a href="/portal/missing/">x</a><a href="/portal/a/#top">y</a>',
        "a/index.html": b'<h1 id="top">A</h1><a href="/portal/missing/">x</a><a href="https://example.com/">e</a>',
    }
    origins = {"index.html": Origin("templates/home.html"), "a/index.html": Origin("templates/about.html")}
    assert [str(problem) for problem in check_links(files, config(), origins)] == [
        "templates:1: the link `/portal/missing/` leads to no page or file of the site "
        "(on 2 pages, such as `index.html` (line 1))",
    ]


def test_external_check_reports_dead_links_as_warnings(tree):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from builder.links import check_external, parse_pages
    os.mkdir("www")
    with open("www/ok.html", "w") as handle:
        handle.write("ok")
    handler = functools.partial(SimpleHTTPRequestHandler, directory="www")
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        files = {"index.html": f'<a href="{base}/ok.html">ok</a> <a href="{base}/gone.html">gone</a>'.encode()}
        problems = check_external(parse_pages(files, 1), config(), {"index.html": Origin("templates/home.html")}, timeout=5)
    finally:
        server.shutdown()
    assert [str(problem) for problem in problems] == [
        f"templates/home.html:1: warning: on the page `index.html`, line 1: the link `{base}/gone.html` answers HTTP 404 (File not found)",
    ]


def test_no_output_holds_script_from_content(tree):
    body = "\n\n".join(['<script>alert(1)</script>', '<img src=favicon.svg alt=i onerror=alert(2)>', '<a href="javascript:alert(3)">j</a>',
                        '<svg onload=alert(4)>', '<iframe srcdoc="<script>alert(5)</script>">', '<p style="x">s</p>'])
    paths = tree({"good.md": with_body(body)})
    for name, text in built(paths).items():
        assert not re.search(r"alert\(\d\)", text) or name.startswith("data/"), name


def test_svg_pictures_with_script_are_refused(tree):
    paths = tree()
    with open("static/logo.svg", "w") as handle:
        handle.write('<svg xmlns="http://www.w3.org/2000/svg">\n<circle r="4"/>\n<circle onload="alert(1)" r="2"/>\n</svg>\n')
    with open("static/map.svg", "w") as handle:
        handle.write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert problems_of(paths) == [
        "static/logo.svg:3: the SVG picture holds `onload=`, which could run script in readers' browsers; "
        "export it again without scripts, or use PNG or JPEG",
        "static/map.svg:1: the SVG picture holds `<script`, which could run script in readers' browsers; "
        "export it again without scripts, or use PNG or JPEG",
    ]


def test_invisible_control_characters_are_refused(tree):
    front = (FRONT.replace("title: A good practice", 'title: "A good\\x01 practice"')
             .replace("organisation: RRA Posavje", 'organisation: "RRA \\e[31m"') + 'keywords: ["ok", "bell\\x07"]\n')
    paths = tree({"good.md": practice(front)})
    assert problems_of(paths) == [
        f"{GOOD}:2: `title`: holds an invisible control character (U+0001) at position 7; "
        "delete it, as it would break the feed and the data files",
        f"{GOOD}:6: `organisation`: holds an invisible control character (U+001B) at position 5; "
        "delete it, as it would break the feed and the data files",
        f"{GOOD}:9: `keywords`: holds an invisible control character (U+0007) at position 5; "
        "delete it, as it would break the feed and the data files",
    ]


def test_broken_links_and_folders_named_like_practices_are_reported(tree):
    paths = tree()
    os.symlink("gone.md", "content/practices/dangling.md")
    os.mkdir("content/practices/folder.md")
    assert problems_of(paths) == [
        "content/practices/dangling.md:1: is a link to `gone.md`, which does not exist; remove the link or copy the file here",
        "content/practices/folder.md:1: is a folder; only the files directly in `practices/` are read, so move its files up "
        "or remove it",
    ]
