"""The table of contents and the headings' anchors always agree, whatever a heading is made of."""

from hypothesis import given
from hypothesis import strategies as st

from builder.links import parse
from builder.markup import render_body

HEADING = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=12)


@given(st.lists(HEADING, min_size=1, max_size=4))
def test_every_entry_of_the_table_of_contents_is_an_anchor_on_the_page(headings):
    body = render_body("".join(f"## {heading}\n\nText.\n\n" for heading in headings), "/static/")
    ids = {name for name, _ in parse(body.html).ids}
    assert {anchor for anchor, _ in body.toc} <= ids


def test_headings_of_symbols_markup_and_repeats_are_all_listed():
    body = render_body("## ★★★\n\nA.\n\n## <b>Bold</b> & `code`\n\nB.\n\n## ★★★\n\nC.\n", "/static/")
    assert [title for _, title in body.toc] == ["★★★", "Bold & code", "★★★"]
    assert len({anchor for anchor, _ in body.toc}) == 3
