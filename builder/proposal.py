"""Proposing a practice by GitHub issue form: the form, generated from the schema, and the issue text turned into a file.

The issue text is hostile: it is parsed as plain text, never run; its values are written by a YAML
library into a practice file that is checked exactly as any other, in a copy of the content, and
only a file that passes is written, only under `content/practices/`, never over an existing one.
"""

import datetime
import re
from pathlib import Path

import yaml

from .build import Paths
from .config import Config
from .importer import check_in_copy, practice_text, source_key, sources
from .load import load_folder, load_themes
from .problems import WARNING, Problem, errors
from .scaffold import practice_slug
from .schema import PRACTICE, SECTION_HELP, SECTIONS

FORM = Path(".github") / "ISSUE_TEMPLATE" / "propose-practice.yml"
LABEL = "practice proposal"
# Left out of the form: the date is the issue's, experts set the status and give their opinion, and pictures and
# points need a file or a map.
NOT_ASKED = ("published", "updated", "status", "expert_opinion", "image", "image_alt", "location")
CONTACT = (("name", "Contact name", "The name of a public contact point (a person or a team)."),
           ("email", "Contact e-mail", "A public e-mail address for questions about the practice."),
           ("url", "Contact web page", "A public contact page, starting with https://."))
NO_RESPONSE = "_No response_"


def asked_fields():
    """The schema's fields that the form asks for, in the schema's order."""
    return [field for field in PRACTICE if field.name not in NOT_ASKED]


def region_choices(content: Path) -> list[str]:
    """`Name (slug)` for every region, as the form's dropdown shows them."""
    regions, _ = load_folder(content / "regions", content)
    return [f"{doc.meta.get('name') or doc.slug} ({doc.slug})" for doc in regions]


def element(field, content: Path) -> list[dict]:
    """The form element(s) for one schema field."""
    described = {"label": field.label, "description": field.help}
    required = {"validations": {"required": field.required}}
    if field.kind == "region":  # the schema's help speaks of files; the form offers the regions by name
        described["description"] = "The region where the practice is run. Missing? Say so under Description."
        return [{"type": "dropdown", "id": field.name, "attributes": {**described, "options": region_choices(content)}, **required}]
    if field.kind == "themes":
        options = [{"label": f"{theme.meta.get('name', theme.slug)} ({theme.slug})"} for theme in load_themes(content / "themes.yaml")[0]]
        return [{"type": "checkboxes", "id": field.name, "attributes": {**described, "description": "Tick one to three.",
                                                                        "options": options}}]
    if field.kind == "choice":
        return [{"type": "dropdown", "id": field.name, "attributes": {**described, "options": list(field.choices)}, **required}]
    if field.kind == "contact":
        return [{"type": "input", "id": f"contact-{part}", "attributes": {"label": label, "description": help_}} for part, label, help_ in CONTACT]
    if field.kind == "keywords":
        described["description"] = field.help + " Separate them with commas."
    if field.kind == "sources":
        described["description"] = ("The public pages this text is based on, so readers can check it: one per line, "
                                    "its title and then its address, e.g. `Good practice page, Interreg Europe https://www.interregeurope.eu/`.")
        return [{"type": "textarea", "id": field.name, "attributes": described, **required}]
    kind = "textarea" if field.limit >= 300 else "input"
    return [{"type": kind, "id": field.name, "attributes": {**described, **({"placeholder": field.example} if field.example else {})}, **required}]


def issue_form(content: Path) -> str:
    """The issue form `.github/ISSUE_TEMPLATE/propose-practice.yml`, from the schema and the content's regions and themes."""
    intro = ("Fill in this form to propose a good practice; no Git or Markdown needed. A maintainer reviews it; "
             "once they label the issue, a pull request with the practice file is made from it, and every problem is "
             "listed here as a comment to fix by editing the issue.")
    body = [{"type": "markdown", "attributes": {"value": intro}}]
    for field in asked_fields():
        body += element(field, content)
    body += [{"type": "textarea", "id": f"section-{practice_slug(section)}",
              "attributes": {"label": section, "description": SECTION_HELP[section] + " Markdown is welcome."},
              "validations": {"required": True}} for section in SECTIONS]
    form = {"name": "Propose a good practice", "description": "Propose a practice for the portal, without Git or Markdown.",
            "title": "Practice: ", "labels": [LABEL], "body": body}
    head = "# Generated from builder/schema.py and content/ by `python build.py issue-form`; a test fails when it is stale.\n"
    return head + yaml.safe_dump(form, sort_keys=False, allow_unicode=True, width=120)


def form_labels() -> list[tuple[str, str]]:
    """(key, label) of every answer in the issue text, in the form's order; keys are field names, `contact.x` or sections."""
    labels = []
    for field in asked_fields():
        labels += [(f"contact.{part}", label) for part, label, _ in CONTACT] if field.kind == "contact" else [(field.name, field.label)]
    return labels + [(section, section) for section in SECTIONS]


def answers(body: str) -> dict[str, str]:
    """The answers of an issue made with the form: the text under each `### Label`, taken in the form's order only."""
    order = form_labels()
    found, current, lines = {}, None, []
    position = {label: index for index, (_, label) in enumerate(order)}
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = re.fullmatch(r"### (.+?)\s*", line)
        if heading and heading[1] in position and (current is None or position[heading[1]] > position[current]):
            if current is not None:
                found[current] = "\n".join(lines).strip()
            current, lines = heading[1], []
        elif current is not None:
            lines.append(line)
    if current is not None:
        found[current] = "\n".join(lines).strip()
    return {key: found.get(label, "") for key, label in order if found.get(label, "") not in ("", NO_RESPONSE)}


def in_brackets(text: str) -> str:
    """The slug at the end of a choice such as `Lower Austria (lower-austria)`, or the text itself."""
    match = re.search(r"\(([a-z0-9-]+)\)\s*$", text)
    return match[1] if match else text


def proposed_practice(values: dict[str, str], date: datetime.date) -> tuple[dict, str]:
    """The front matter and body of the proposed practice, in the schema's order."""
    meta = {}
    for field in PRACTICE:
        value = values.get(field.name)
        if field.kind == "contact":
            contact = {part: " ".join(values[f"contact.{part}"].split()) for part, _, _ in CONTACT if values.get(f"contact.{part}")}
            value = contact or None
        elif field.kind == "themes" and value:
            value = [in_brackets(line[6:].strip()) for line in value.split("\n") if line.lower().startswith("- [x] ")]
        elif field.kind == "keywords" and value:
            value = [word for word in (" ".join(part.split()) for part in value.split(",")) if word]
        elif field.kind == "sources" and value:
            value = sources(value)
        elif field.kind == "region" and value:
            value = in_brackets(" ".join(value.split()))
        elif value:
            value = " ".join(value.split())  # one-line fields: line breaks in the answer are not part of the value
        if field.name == "published":
            value = date.isoformat()
        if value:
            meta[field.name] = value
    body = "\n".join(f"## {section}\n\n{values[section].strip()}\n" for section in SECTIONS if values.get(section))
    return meta, body


def propose(body: str, paths: Paths, config: Config, date: datetime.date) -> tuple[Path | None, list[Problem]]:
    """Write the practice an issue proposes, when it passes the checks; return its path (or None) and the problems."""
    meta, text_body = proposed_practice(answers(body), date)
    slug = practice_slug(meta.get("title", ""))
    if not slug:
        return None, [Problem("issue", 1, "`Title`: give the practice a title with letters or digits")]
    target = paths.content / "practices" / f"{slug}.md"
    if target.exists():
        return None, [Problem("issue", 1, f"`Title`: a practice with this name already exists ({slug}); "
                                          "propose a change to it with a pull request, or choose another title")]
    text = practice_text(meta, text_body)
    found, document = check_in_copy(paths, config, {slug: text})[slug]
    problems = [issue_problem(problem, document) for problem in found]
    if errors(problems):
        return None, problems
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:  # never over a file that appeared meanwhile
        handle.write(text)
    return target, problems


def issue_problem(problem: Problem, document) -> Problem:
    """A problem of the proposed file, named by the form's label instead of a line of a file the proposer never saw."""
    labels = dict(form_labels())
    key = source_key(problem, document, labels)
    if key is None:
        return Problem("issue", 1, problem.message, problem.severity)
    message = re.sub(r"^`[a-z_.]+`: ", "", problem.message).replace(f"`{key}` is required: ", "required: ")
    return Problem("issue", 1, f"`{labels[key]}`: {message}", problem.severity)


def comment(path: Path | None, problems: list[Problem]) -> str:
    """The reply to the proposer, ready to post as an issue comment (Markdown); no one is @-mentioned by their text."""
    def item(problem: Problem) -> str:
        return f"- {'⚠️ ' if problem.severity == WARNING else ''}{problem.message}".replace("@", "@\u200b")
    if path is None:
        return ("Thank you for proposing a practice. It cannot become a pull request yet; please edit the issue and fix "
                "these, then a maintainer will label it again:\n\n" + "\n".join(item(p) for p in errors(problems)) + "\n")
    notes = [p for p in problems if p.severity == WARNING]
    text = f"Thank you! The practice is written as `{path.name}` and a pull request is being opened for review."
    return text + ("\n\nWorth a look before it is merged:\n\n" + "\n".join(item(p) for p in notes) if notes else "") + "\n"
