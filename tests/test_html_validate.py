"""html-validate (npm, pinned 10.9.0) finds no error in any HTML file of the built site.

The rules are the recommended preset with two adjustments, each explained in README.md
("HTML validation"): `.htmlvalidaterc.json` at the project root.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidaterc.json"


@pytest.fixture(scope="session")
def html_validate() -> Path:
    """The pinned html-validate from node_modules; required on CI."""
    if not HTML_VALIDATE.exists():
        message = "node_modules/.bin/html-validate is missing: run `npm ci --no-audit --no-fund`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return HTML_VALIDATE


def validate(html_validate: Path, folder: Path) -> subprocess.CompletedProcess:
    """Run html-validate with the project's rules on every .html file below `folder`."""
    return subprocess.run([str(html_validate), "--config", str(CONFIG), "--formatter", "text", str(folder)],
                          capture_output=True, text=True, cwd=ROOT)


def test_the_pinned_version_runs(html_validate):
    result = subprocess.run([str(html_validate), "--version"], capture_output=True, text=True)
    assert result.stdout.strip().endswith("10.9.0")


def test_the_whole_built_site_is_valid(served_site, html_validate):
    _, folder = served_site
    assert len(list(folder.rglob("*.html"))) > 20
    result = validate(html_validate, folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_invalid_page_is_reported(tmp_path, html_validate):
    (tmp_path / "broken.html").write_text('<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
                                          '<body><main><p>Open <b>bold</main><img src="x.png"></body></html>')
    result = validate(html_validate, tmp_path)
    assert result.returncode != 0
    assert "close-order" in result.stdout and "wcag/h37" in result.stdout
