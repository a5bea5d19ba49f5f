"""`build.py summary`: the pull request's job summary lists each changed practice or region with its problems and text."""

import subprocess
import sys
from pathlib import Path

from builder.build import Paths
from builder.config import Config
from builder.summary import LIMIT, summary

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(base_url="https://example.org/portal/")


def preview(content: Path, *changed: Path | str) -> str:
    """The summary for `changed` in the content folder `content`."""
    return summary(Paths(content, ROOT / "templates", ROOT / "static", Path("unused")), CONFIG, [str(p) for p in changed])


def blocks(text: str) -> list[str]:
    """The part of the summary below each file's heading."""
    return [part.split("\n\n", 1)[1] for part in text.split("\n### ")[1:]]


def test_a_changed_practice_shows_its_title_facts_and_sections(content_copy):
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    region = content_copy / "regions" / "lower-austria.md"
    text = preview(content_copy, practice, region, "templates/base.html", content_copy / "practices" / "gone.md")
    assert text.startswith("## Preview of this pull request\n\n3 practice or region files changed, and 1 other file. The site builds.")
    assert "<h4>House of Digitalisation</h4>" in text and "<tr><th>Organisation</th><td>ecoplus, the business agency of Lower Austria" in text
    assert '<h2 id="evidence-of-success">Evidence of success</h2>' in text and "<code>/portal/practices/house-of-digitalisation/</code>" in text
    assert "<h4>Lower Austria</h4>" in text and "<tr><th>NUTS</th><td>AT12</td></tr>" in text
    assert "gone.md</code>\n\nDeleted in this pull request" in text
    assert "✅ No problems." in text
    # GitHub ends an HTML block at a blank line and reads the rest as Markdown: each file's part has none.
    assert all("\n\n" not in part.rstrip("\n") for part in blocks(text)[:2])


def test_the_expert_opinion_and_the_sources_are_shown(content_copy):
    text = preview(content_copy, content_copy / "practices" / "clust-er-greentech.md")
    assert "<h2>Expert opinion</h2>\n<p>" in text and "<h2>Sources</h2>\n<ul>\n<li>" in text


def test_hostile_text_is_shown_as_text_and_raw_html_is_sanitised(content_copy):
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    text = practice.read_text(encoding="utf-8")
    text = text.replace("title: House of Digitalisation", 'title: "<img src=x onerror=alert(1)> **bold** | pipe"', 1)
    practice.write_text(text + "\n<script>alert(2)</script><a href=\"javascript:alert(3)\">x</a>\n", encoding="utf-8")
    shown = preview(content_copy, practice)
    assert "<h4>&lt;img src=x onerror=alert(1)&gt; **bold** | pipe</h4>" in shown
    assert "<script" not in shown and 'href="javascript:' not in shown and "<img" not in shown
    assert "the link `javascript:alert(3)` was removed" in shown
    assert "the HTML element `&lt;script&gt;` is not allowed in the text and was removed" in shown


def test_a_practice_with_errors_lists_them_with_lines_and_the_site_does_not_build(content_copy):
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    practice.write_text(practice.read_text(encoding="utf-8").replace("region: lower-austria", "region: lower-austira"), encoding="utf-8")
    text = preview(content_copy, practice)
    assert "The site does not build yet: 1 error to fix" in text
    assert "❌ error: <code>" in text and "`lower-austira` is not a region in content/regions/; did you mean `lower-austria` (Lower Austria)?" in text
    assert "The text appears here once the site builds." in text


def test_a_summary_stays_within_githubs_limit(content_copy):
    names = sorted((content_copy / "practices").glob("*.md")) * 200
    text = preview(content_copy, *names)
    assert len(text) < LIMIT + 10_000 and "more files did not fit in this summary; see the artifact." in text


def test_the_command_prints_the_summary(content_copy):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "summary", "--content", str(content_copy),
                             str(content_copy / "regions" / "lower-austria.md")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "<h4>Lower Austria</h4>" in result.stdout


def test_the_pull_request_workflow_step_previews_what_the_branch_changed(tmp_path, content_copy):
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    step = next(step for step in workflow["jobs"]["check"]["steps"] if "build.py summary" in step.get("run", ""))
    git = lambda *args: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],  # noqa: E731
                                       cwd=tmp_path, check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("add", "content")
    git("commit", "-qm", "base")
    git("update-ref", "refs/remotes/origin/main", "HEAD")
    practice = content_copy / "practices" / "house-of-digitalisation.md"
    practice.write_text(practice.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    (content_copy / "practices" / "small-scale-incentives-for-smes-vouchers.md").unlink()  # no other page links to it
    git("commit", "-qam", "change")
    summary_file = tmp_path / "summary.md"
    # `python` in the step is the runner's Python with the project installed; here, this checkout's build.py on the copy.
    wrapper = f'python() {{ shift; "{sys.executable}" "{ROOT / "build.py"}" "$@" --content "$PWD/content"; }}\n'
    result = subprocess.run(["bash", "-e", "-c", wrapper + step["run"]], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "BASE_REF": step["env"]["BASE_REF"] and "main",
                                 "GITHUB_STEP_SUMMARY": str(summary_file), "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    text = summary_file.read_text(encoding="utf-8")
    assert "2 practice or region files changed." in text and "One more line." in text
    assert "small-scale-incentives-for-smes-vouchers.md</code>\n\nDeleted in this pull request" in text
