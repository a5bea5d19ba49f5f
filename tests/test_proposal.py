"""Proposing by issue form: the form is generated from the schema, and `build.py propose` treats the issue as hostile."""

import datetime
import json
import subprocess
import sys
from pathlib import Path

import yaml

from builder.build import Paths, check_content
from builder.config import Config
from builder.proposal import FORM, LABEL, NOT_ASKED, answers, comment, issue_form, propose
from builder.schema import PRACTICE, SECTIONS

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(base_url="https://example.org/")
DATE = datetime.date(2025, 2, 3)
ANSWERS = {
    "Title": "Cluster Academy for Digital Skills", "Summary": "Short courses that help cluster members\ntrain staff in Industry 4.0.",
    "Region": "Lower Austria (lower-austria)", "Themes": "- [X] Research and innovation (research-and-innovation)\n- [ ] SME competitiveness (sme-competitiveness)\n- [x] A smarter Europe (smarter-europe)",
    "Organisation": "ecoplus", "Level": "regional", "Start": "2019", "End": "_No response_", "Project": "INNO INDUSTRY",
    "Keywords": "skills, training , , clusters", "Website": "https://www.example.org/academy",
    "Sources": "The academy's page https://www.example.org/academy/about\n\nA report, 2021 <https://www.example.org/report.pdf>",
    "Contact name": "Academy team", "Contact e-mail": "academy@example.org", "Contact web page": "_No response_",
    **{section: f"Text of {section.lower()}." for section in SECTIONS},
}


def issue_body(values: dict[str, str]) -> str:
    """An issue's text as GitHub writes it from a form: `### Label`, a blank line, the answer."""
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in values.items()) + "\n"


def paths_of(content: Path) -> Paths:
    """The project's templates and static files with `content`."""
    return Paths(content, ROOT / "templates", ROOT / "static", Path("unused"))


def practices(content: Path) -> set[str]:
    """The practice files of `content`."""
    return {path.name for path in (content / "practices").iterdir()}


def test_the_committed_form_is_generated_from_the_schema_and_validates_offline():
    committed = (ROOT / FORM).read_text(encoding="utf-8")
    assert committed == issue_form(ROOT / "content"), f"{FORM} is stale: run `python build.py issue-form`"
    from test_workflows import OFFLINE

    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(ROOT / FORM)],
                            capture_output=True, text=True, env=OFFLINE)
    assert result.returncode == 0, result.stdout + result.stderr
    form = yaml.safe_load(committed)
    ids = [element.get("id") for element in form["body"] if element["type"] != "markdown"]
    assert [f.name for f in PRACTICE if f.name not in NOT_ASKED and f.name != "contact"] == [i for i in ids if i in {f.name for f in PRACTICE}]
    assert {"contact-name", "contact-email", "contact-url"} < set(ids) and sum(i.startswith("section-") for i in ids) == len(SECTIONS)
    region = next(element for element in form["body"] if element.get("id") == "region")
    assert "Lower Austria (lower-austria)" in region["attributes"]["options"]


def test_a_proposal_becomes_a_file_that_passes_check(content_copy):
    path, problems = propose(issue_body(ANSWERS), paths_of(content_copy), CONFIG, DATE)
    assert problems == [] and path == content_copy / "practices" / "cluster-academy-for-digital-skills.md"
    found = check_content(paths_of(content_copy), only=[path])
    assert found.problems == []
    meta = next(doc for doc in found.practices if doc.path == path).meta
    assert meta["themes"] == ["research-and-innovation", "smarter-europe"] and meta["published"] == "2025-02-03"
    assert meta["summary"] == "Short courses that help cluster members train staff in Industry 4.0."
    assert meta["keywords"] == ["skills", "training", "clusters"] and meta["contact"] == {"name": "Academy team", "email": "academy@example.org"}
    assert "end" not in meta and "status" not in meta
    assert meta["sources"] == [{"title": "The academy's page", "url": "https://www.example.org/academy/about"},
                               {"title": "A report, 2021", "url": "https://www.example.org/report.pdf"}]
    assert comment(path, problems).startswith("Thank you! The practice is written as `cluster-academy-for-digital-skills.md`")


def test_problems_come_back_as_a_comment_and_nothing_is_written(content_copy):
    before = practices(content_copy)
    bad = {**ANSWERS, "Website": "www.example.org", "Themes": "- [ ] Research and innovation (research-and-innovation)",
           "Region": "Atlantis (atlantis)", "Contact e-mail": "@everyone"}
    path, problems = propose(issue_body(bad), paths_of(content_copy), CONFIG, DATE)
    assert path is None and practices(content_copy) == before
    reply = comment(path, problems)
    assert "- `Website`: `www.example.org` is not a web address; it must start with https:// (or http://)" in reply
    assert "- `Region`: `atlantis` is not a region in content/regions/" in reply
    assert "- `Themes`: required: one to three theme ids" in reply
    assert "@everyone" not in reply and "@\u200beveryone" in reply


HOSTILE = {
    "path": {"Title": "../../../etc/passwd"},
    "yaml": {"Summary": "Fine.\n---\nstatus: validated\nregion: atlantis\n---", "Project": "x: [y]\nstatus: validated"},
    "shell": {"Title": "$(touch /tmp/pwned) `reboot`; rm -rf ~"},
    "html": {"Description": "<script>alert(1)</script><b onclick=alert(2)>x</b>[x](javascript:alert(3))"},
    "headings": {"Summary": "Real summary.\n\n### Region\n\nRomania (romania)"},
    "unicode": {"Title": "Ügynökség für Innovation – Łódź Ōsaka \u202eRTL\u202c", "Organisation": "Агенція розвитку"},
}


def test_hostile_issues_are_text_in_their_fields_and_files_stay_in_practices(content_copy):
    for case, change in HOSTILE.items():
        path, problems = propose(issue_body({**ANSWERS, **change}), paths_of(content_copy), CONFIG, DATE)
        assert path is not None and path.parent == content_copy / "practices", (case, problems)
        meta = next(doc for doc in check_content(paths_of(content_copy), only=[path]).practices if doc.path == path).meta
        assert "status" not in meta and meta["region"] == "lower-austria", case
        path.unlink()
    assert not Path("/tmp/pwned").exists()


def test_a_hostile_body_that_fails_the_checks_writes_nothing(content_copy):
    before = practices(content_copy)
    for change in ({"Description": "x" * 1_100_000}, {"Description": "<img src=x onerror=alert(2)>"}, {"Title": "House of Digitalisation"}, {"Title": "!!! ???"},
                   {"Summary": "Bad \x00 byte \x1b[31m"}):
        path, problems = propose(issue_body({**ANSWERS, **change}), paths_of(content_copy), CONFIG, DATE)
        assert path is None and problems and practices(content_copy) == before, change


def test_a_heading_typed_into_an_answer_only_moves_text_between_the_proposers_own_answers():
    values = answers(issue_body({**ANSWERS, **HOSTILE["headings"], "Project": "### Made up\n\nstatus: validated"}))
    assert values["summary"] == "Real summary." and values["region"].endswith("(lower-austria)")
    assert set(values) <= {"title", "summary", "region", "themes", "organisation", "level", "start", "end", "project",
                           "keywords", "website", "sources", "contact.name", "contact.email", "contact.url", *SECTIONS}


def test_the_command_reads_the_event_and_tells_the_workflow_what_it_wrote(tmp_path, content_copy):
    event, output, reply = tmp_path / "event.json", tmp_path / "output", tmp_path / "comment.md"
    event.write_text(json.dumps({"issue": {"number": 7, "body": issue_body(ANSWERS), "created_at": "2025-02-03T10:00:00Z"}}))
    command = [sys.executable, str(ROOT / "build.py"), "propose", "--event", str(event), "--comment", str(reply), "--content", str(content_copy)]
    result = subprocess.run(command, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output)})
    assert result.returncode == 0, result.stderr
    assert output.read_text().endswith("cluster-academy-for-digital-skills.md\nslug=cluster-academy-for-digital-skills\n")
    assert "published: '2025-02-03'" in (content_copy / "practices" / "cluster-academy-for-digital-skills.md").read_text()
    event.write_text(json.dumps({"issue": {"number": 8, "body": "no form at all"}}))
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "Thank you for proposing a practice. It cannot become a pull request yet" in reply.read_text()


def test_the_workflow_runs_on_a_maintainers_label_and_never_puts_issue_text_in_the_shell():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "propose-practice.yml").read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)
    assert workflow["on"] == {"issues": {"types": ["labeled"]}}
    job = workflow["jobs"]["propose"]
    assert "github.event.label.name == 'make pull request'" in job["if"] and LABEL != "make pull request"
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert not any("${{" in run for run in runs), "expressions in run: would paste issue text into the shell"
    assert 'python build.py propose --event "$GITHUB_EVENT_PATH"' in runs[1]
