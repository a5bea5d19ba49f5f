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
