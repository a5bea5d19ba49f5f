"""builder.export: open data carries every field and states the licence."""

import csv
import io
import json

from builder.export import CSV_COLUMNS
from builder.schema import PRACTICE
from test_model import golden_site


def test_json_has_every_schema_field_and_the_licence():
    site = golden_site()
    from builder.export import practices_json
    document = json.loads(practices_json(site))
    assert document["licence"] == "CC BY 4.0" and document["licence_url"].startswith("https://creativecommons.org/")
    record = document["practices"][0]
    assert {field.name for field in PRACTICE} <= record.keys()
    assert record["url"] == "https://example.org/portal/practices/digital-vouchers/"
    assert record["contact"] == {"name": "Voucher desk", "email": "vouchers@example.org", "url": None}
    assert record["sources"][1] == {"title": "Evaluation report", "url": "http://example.org/report.pdf"}
    assert record["expert_opinion"] == "The experts find the scheme simple to run.\n\nThey note that <script>small</script> firms used it most."


def test_csv_has_one_row_per_practice():
    site = golden_site()
    from builder.export import practices_csv
    rows = list(csv.DictReader(io.StringIO(practices_csv(site).decode("utf-8"))))
    assert [row["slug"] for row in rows] == ["digital-vouchers", "fjord-cluster", "krakow-lab"]
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[0]["themes"] == "research-and-innovation; smarter-europe"
    assert rows[0]["licence"].startswith("CC BY 4.0")
    assert rows[0]["sources"] == ("Voucher scheme <b>2021</b> & rules <https://example.org/vouchers/rules?year=2021&lang=en>; "
                                  "Evaluation report <http://example.org/report.pdf>")
    assert rows[0]["expert_opinion"].startswith("The experts find") and rows[1]["sources"] == ""
