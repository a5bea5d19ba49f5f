"""JSON-LD data blocks: valid JSON that can never end its script element or smuggle markup."""

import json

from builder.linked_data import script_json


def test_markup_in_values_cannot_close_the_script_element():
    hostile = {"name": "</script><script>alert(1)</script> <!-- & -->"}
    text = str(script_json(hostile))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == hostile


def test_output_is_compact_unicode_and_stable():
    data = {"name": "Gävleborg", "n": 1}
    assert str(script_json(data)) == '{"name":"Gävleborg","n":1}' == str(script_json(dict(data)))


def test_a_practice_names_the_pages_it_is_based_on():
    from builder.linked_data import article
    from test_model import golden_site

    site = golden_site()
    practice = next(p for p in site.practices if p.slug == "digital-vouchers")
    assert article(practice, site.config)["isBasedOn"][1] == {
        "@type": "WebPage", "name": "Evaluation report", "url": "http://example.org/report.pdf"}
    assert "isBasedOn" not in article(next(p for p in site.practices if not p.sources), site.config)
