"""builder.export and builder.datapackage: open data carries every schema field, states the licence, and is
described by a Frictionless Data Package and a JSON Schema that the files really meet."""

import csv
import dataclasses
import io
import json

import jsonschema

from builder import export
from builder.datapackage import datapackage, practices_schema
from builder.export import csv_columns, practices_csv, practices_json
from builder.sections import section_texts
from builder.model import Practice
from builder.render import render_site
from builder.schema import PRACTICE
from test_golden import ROOT
from test_model import golden_site


def test_json_has_every_schema_field_and_the_licence():
    site = golden_site()
    document = json.loads(practices_json(site))
    assert document["licence"] == "CC BY 4.0" and document["licence_url"].startswith("https://creativecommons.org/")
    record = document["practices"][0]
    assert {field.name for field in PRACTICE} <= record.keys()
    assert record["url"] == "https://example.org/portal/practices/digital-vouchers/"
    assert record["contact"] == {"name": "Voucher desk", "email": "vouchers@example.org", "url": None}
    assert record["sources"][1] == {"title": "Evaluation report", "url": "http://example.org/report.pdf"}
    assert record["expert_opinion"] == "The experts find the scheme simple to run.\n\nThey note that <script>small</script> firms used it most."


def test_every_schema_field_reaches_the_model_and_a_csv_column():
    model = {field.name for field in dataclasses.fields(Practice)}
    names = [column.name for column in csv_columns()]
    for field in PRACTICE:
        assert field.name in model, field.name
        assert any(name == field.name or name.startswith(field.name + "_") for name in names) or field.kind == "location", field.name
    assert {"image", "image_alt", "nuts", "lat", "lon", "description", "evidence_of_success"} <= set(names)
    assert len(names) == len(set(names))


def test_csv_has_one_row_per_practice_with_place_and_section_texts():
    rows = list(csv.DictReader(io.StringIO(practices_csv(golden_site()).decode("utf-8"))))
    assert [row["slug"] for row in rows] == ["digital-vouchers", "fjord-cluster", "krakow-lab"]
    assert list(rows[0]) == [column.name for column in csv_columns()]
    assert rows[0]["themes"] == "research-and-innovation; smarter-europe"
    assert rows[0]["licence"].startswith("CC BY 4.0")
    krakow = rows[2]
    assert krakow["nuts"] == "PL21" and float(krakow["lat"]) and krakow["country"] == "PL"
    assert krakow["description"] and "<" not in krakow["description"]
    assert rows[0]["sources"] == ("Voucher scheme <b>2021</b> & rules <https://example.org/vouchers/rules?year=2021&lang=en>; "
                                  "Evaluation report <http://example.org/report.pdf>")
    assert rows[0]["expert_opinion"].startswith("The experts find") and rows[1]["sources"] == ""


def test_a_new_schema_field_reaches_json_and_csv_without_other_changes(monkeypatch):
    site = golden_site()
    extra = dataclasses.replace(PRACTICE[0], name="transferred_to", kind="keywords", required=False)
    monkeypatch.setattr(export, "PRACTICE", PRACTICE + (extra,))
    for practice in site.practices:
        practice.transferred_to = ["Murcia"]
    assert json.loads(practices_json(site))["practices"][0]["transferred_to"] == ["Murcia"]
    assert list(csv.DictReader(io.StringIO(practices_csv(site).decode())))[0]["transferred_to"] == "Murcia"


def test_section_texts_are_plain_text_without_footnote_marks():
    html = ('<h2 id="d">Description</h2><p>A <em>hub</em> &amp; more<sup id="r"><a class="footnote-ref" href="#f">1</a>'
            '</sup>.</p><ul><li>one</li><li>two</li></ul><h2 id="r">Resources needed</h2><p>Staff</p>'
            '<div class="footnote"><ol><li><p>Source <a href="#r">back</a></p></li></ol></div>')
    assert section_texts(html) == {"Description": "A hub & more.\none\ntwo", "Resources needed": "Staff"}


def test_the_json_meets_the_json_schema_made_from_the_schema():
    site = golden_site()
    document, schema = json.loads(practices_json(site)), practices_schema(site)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(document)) == []
    document["practices"][0]["regoin"] = "oslo"  # a key the schema does not declare
    document["practices"][1]["level"] = "global"
    assert len(list(validator.iter_errors(document))) == 2


def test_the_data_package_is_valid_and_the_csv_meets_its_table_schema(tmp_path):
    import frictionless
    files = render_site(golden_site(), ROOT / "templates")
    for name in ("datapackage.json", "practices.csv", "practices.json", "practices.schema.json"):
        (tmp_path / name).write_bytes(files["data/" + name])
    descriptor = json.loads(files["data/datapackage.json"])
    assert descriptor["licenses"] == [{"path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}]
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = (tmp_path / "practices.csv").read_text(encoding="utf-8").replace("2021-", "20x1-", 1)
    (tmp_path / "practices.csv").write_text(rows, encoding="utf-8")  # a date that is no date
    assert not frictionless.validate(tmp_path / "datapackage.json").valid


def test_the_descriptors_name_the_files_they_describe():
    site = golden_site()
    package = datapackage(site)
    assert [r["path"] for r in package["resources"]] == ["practices.csv", "practices.json"]
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == [c.name for c in csv_columns()]


def test_the_bundled_sites_open_data_meets_its_own_descriptions(served_site):
    import frictionless
    _, folder = served_site
    data = folder / "data"
    schema = json.loads((data / "practices.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [error.message for error in validator.iter_errors(json.loads((data / "practices.json").read_text()))] == []
    report = frictionless.validate(data / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
