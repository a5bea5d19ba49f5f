"""builder.sections: the standard sections, read from the headings the Markdown engine found."""

from pathlib import Path

from builder.load import Document
from builder.markup import body_problems, render_body

FULL = "".join(f"## {name}\n\nText.\n\n" for name in (
    "Description", "Resources needed", "Evidence of success", "Difficulties encountered", "Potential for learning or transfer"))


def problems(body: str) -> list[str]:
    """The section warnings of a practice whose body starts on line 20, as `line: message`."""
    doc = Document(Path("ok.md"), "ok", {}, {}, body, 20)
    found = body_problems(doc, render_body(body, "/static/"), practice=True)
    assert all(problem.severity == "warning" for problem in found)
    return [f"{problem.line}: {problem.message}" for problem in found]


def test_complete_sections_have_no_problems():
    assert problems(FULL) == []


def test_headings_inside_code_blocks_are_not_sections():
    body = FULL.replace("## Resources needed\n", "```\n## Resources needed\n```\n")
    assert problems(body) == ["20: the section `## Resources needed` is missing"]


def test_sections_out_of_order():
    swapped = FULL.replace("## Description", "## X").replace("## Resources needed", "## Description").replace("## X", "## Resources needed")
    assert problems(swapped) == ["20: the standard sections are out of order; use: Description, Resources needed, "
                                 "Evidence of success, Difficulties encountered, Potential for learning or transfer"]


def test_a_misspelt_section_gets_the_right_name():
    assert problems(FULL.replace("## Evidence of success", "## Evidense of sucess")) == [
        "28: `## Evidense of sucess` is not a standard section; did you mean `## Evidence of success`?"]


def test_a_section_at_the_wrong_level_says_so():
    assert problems(FULL.replace("## Description", "# Description")) == [
        "20: `# Description` is a level-1 heading; standard sections are level 2: write `## Description`"]
    assert problems(FULL.replace("## Description\n", "Description\n---\n")) == []
    assert problems(FULL.replace("## Resources needed", "### Resources needed")) == [
        "24: `### Resources needed` is a level-3 heading; standard sections are level 2: write `## Resources needed`"]


def test_empty_sections_and_scaffold_notes_are_warned_about():
    body = FULL.replace("## Resources needed\n\nText.", "## Resources needed\n\n<!-- The money, staff and other means -->")
    body = body.replace("## Difficulties encountered\n\nText.\n", "## Difficulties encountered\n")
    assert problems(body) == [
        "24: the section `## Resources needed` is empty; write it, or remove the heading if there is nothing to say",
        "32: the section `## Difficulties encountered` is empty; write it, or remove the heading if there is nothing to say",
    ]
