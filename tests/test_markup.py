"""builder.markup: Markdown features editors use, and the sanitiser."""

from builder.markup import render_body

STATIC = "/portal/static/"


def html(text: str) -> str:
    """The sanitised HTML of a Markdown text."""
    return render_body(text, STATIC).html


def test_tables_footnotes_and_heading_ids():
    body = render_body("## Évaluation & résultats\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nText.[^1]\n\n[^1]: Source.\n", STATIC)
    assert body.toc == (("évaluation-résultats", "Évaluation & résultats"),)
    assert '<h2 id="évaluation-résultats">' in body.html
    assert "<table>" in body.html and "<td>1</td>" in body.html
    assert 'class="footnote-ref" href="#fn:1"' in body.html and '<li id="fn:1">' in body.html


def test_the_table_of_contents_lists_only_level_two_sections():
    assert [title for _, title in render_body("## One\n### Sub\n## Two\n", STATIC).toc] == ["One", "Two"]


def test_scripts_handlers_and_script_links_are_removed():
    out = html('<script>alert(1)</script><p onclick="x()">p</p><a href="javascript:alert(1)">a</a>'
               '<iframe src="https://evil.example"></iframe><style>body{}</style>[b](vbscript:x)')
    for bad in ("<script", "onclick", "javascript:", "<iframe", "<style", "vbscript:"):
        assert bad not in out


def test_external_links_get_noopener_noreferrer():
    assert html("[site](https://example.org)") == '<p><a href="https://example.org" rel="noopener noreferrer">site</a></p>'


def test_template_syntax_is_text():
    assert html("{{ 7*7 }} {% if x %}") == "<p>{{ 7*7 }} {% if x %}</p>"


def test_images_are_files_under_static():
    assert 'src="/portal/static/images/a.png"' in html("![A chart](images/a.png)")
    assert "evil.example" not in html("![x](https://evil.example/track.png)")
