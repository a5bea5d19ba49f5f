"""The GitHub workflows validate offline against the vendored GitHub Actions schema and do what the README says."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from builder.write import SPARE

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
CACHE_PATHS = f".cache\n!.cache/{SPARE}\n"  # the cache, without the site kept in it for the next local build
# Any attempt to reach the network through these fails at once: the schema must come from inside the package.
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


def validate(*files: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with its builtin (vendored) GitHub workflow schema."""
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=OFFLINE)


def load(name: str) -> dict:
    """A workflow file as data (YAML 1.1 reads the key `on` as True)."""
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[str]:
    """What each step uses or runs, as one string each."""
    return [step.get("uses") or step["run"] for step in job["steps"]]


def test_workflows_validate_offline():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [path.name for path in files] == ["pages.yml", "propose-practice.yml", "pull-request.yml"]
    result = validate(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_workflow_is_caught(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - uses: actions/checkout@v4\n        run: echo both\n")
    assert validate(broken).returncode == 1


def test_pull_request_workflow_checks_strictly_builds_and_tests():
    workflow = load("pull-request.yml")
    assert "pull_request" in workflow["on"]
    job = workflow["jobs"]["check"]
    assert job["env"]["CHROMIUM_PATH"] == "/usr/bin/google-chrome"
    run = steps(job)
    assert run[:3] == ["actions/checkout@v4", "actions/setup-python@v5", "actions/setup-node@v4"]
    assert "python -m pip install -e '.[test]'\nnpm ci --no-audit --no-fund\n" in run
    assert run.index("python build.py check --strict") < run.index("python build.py build --strict") < run.index("python -m pytest")
    cache = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == CACHE_PATHS and run.index(cache["uses"]) < run.index("python build.py build --strict")
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "_site" and run.index(upload["uses"]) > run.index("python build.py build --strict")
    preview = next(step for step in job["steps"] if "build.py summary" in step.get("run", ""))
    assert '>> "$GITHUB_STEP_SUMMARY"' in preview["run"] and "!cancelled()" in preview["if"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0


def test_pages_workflow_builds_main_for_the_pages_address_and_deploys_it():
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    configure = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/configure-pages@"))
    assert configure["id"] == "pages"
    site = next(step for step in build["steps"] if "build.py" in step.get("run", ""))
    assert site["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}" and '--base-url "${BASE_URL%/}/"' in site["run"]
    upload = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_site"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert steps(deploy) == ["actions/deploy-pages@v4"]


def test_both_workflows_restore_and_save_the_build_cache():
    for name in ("pull-request.yml", "pages.yml"):
        job = next(iter(load(name)["jobs"].values()))
        cache = [step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@")]
        assert len(cache) == 1 and cache[0]["with"]["path"] == CACHE_PATHS, name
        order = steps(job)
        assert order.index(cache[0]["uses"]) < next(i for i, run in enumerate(order) if "build.py" in run), name
