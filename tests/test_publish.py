"""Publishing your own portal: the quick start in a virtual environment, and links to the copy's own repository."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from builder.config import load_config, repository_from_workflow

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW_ENV = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_REPOSITORY": "someone/their-portal", "GITHUB_REF_NAME": "main"}


def readme_commands() -> list[str]:
    """The shell commands of the README's quick start, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text[text.index("## Quick start"):text.index("## Commands")]
    return re.findall(r"```sh\n(.+?)\n```", quick)


def test_the_quick_start_installs_into_a_virtual_environment_and_ci_runs_its_test_command():
    serve, tests = readme_commands()
    for command in (serve, tests):
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install -e ")
        assert " python build.py" not in command and " python -m" not in command, "every later step must use the venv"
    assert serve.endswith(".venv/bin/python build.py serve")
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().splitlines()[-1] == tests
    assert "/.venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_the_bundled_settings_name_no_repository_so_a_copy_never_links_to_ours():
    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["portal"]
    assert "repository" not in table and "branch" not in table


def test_repository_and_branch_come_from_the_workflow_unless_configured(tmp_path, monkeypatch):
    for key, value in WORKFLOW_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    bare, configured = tmp_path / "bare.toml", tmp_path / "configured.toml"
    bare.write_text("[tool.portal]\ntitle = 'T'\n", encoding="utf-8")
    configured.write_text("[tool.portal]\nrepository = 'https://git.example.org/o/r'\nbranch = 'live'\n", encoding="utf-8")
    assert (load_config(bare).repository, load_config(bare).branch) == ("https://github.com/someone/their-portal", "main")
    assert (load_config(configured).repository, load_config(configured).branch) == ("https://git.example.org/o/r", "live")
    monkeypatch.delenv("GITHUB_REPOSITORY")
    assert load_config(bare).repository == ""


def test_a_pull_request_links_to_the_branch_it_will_merge_into():
    env = {**WORKFLOW_ENV, "GITHUB_REF_NAME": "12/merge", "GITHUB_BASE_REF": "main",
           "GITHUB_SERVER_URL": "https://ghe.example.org/"}
    assert repository_from_workflow(env) == {"repository": "https://ghe.example.org/someone/their-portal", "branch": "main"}
    assert repository_from_workflow({}) == {}


def pages_build_step() -> dict:
    """The step of the Pages workflow that builds the site."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    return next(step for step in workflow["jobs"]["build"]["steps"] if "build.py" in step.get("run", ""))


def test_a_build_as_the_pages_workflow_runs_it_links_to_the_copys_own_repository(tmp_path):
    step = pages_build_step()
    run = step["run"].strip().replace("python build.py", f'"{sys.executable}" build.py', 1)
    env = {**os.environ, **WORKFLOW_ENV, "BASE_URL": "https://someone.github.io/their-portal"}
    env.pop("GITHUB_BASE_REF", None)
    output = tmp_path / "site"
    result = subprocess.run(["bash", "-c", f'{run} --output "{output}" --no-cache'], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "practices" / "house-of-digitalisation" / "index.html").read_text(encoding="utf-8")
    edit = "https://github.com/someone/their-portal/edit/main/content/practices/house-of-digitalisation.md"
    history = "https://github.com/someone/their-portal/commits/main/content/practices/house-of-digitalisation.md"
    assert f'href="{edit}"' in page and f'href="{history}"' in page
    assert '<link rel="canonical" href="https://someone.github.io/their-portal/practices/house-of-digitalisation/">' in page
    links = {match for path in output.rglob("*.html") for match in re.findall(r'href="(https://github\.com/[^"]+)"', path.read_text(encoding="utf-8"))}
    repository = "https://github.com/someone/their-portal"
    assert links and all(link == repository or link.startswith(repository + "/") for link in links), links
