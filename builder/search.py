"""The search index: Pagefind run over the written site folder."""

import subprocess
from pathlib import Path

import pagefind_bin


class SearchIndexError(Exception):
    """Pagefind failed; the message carries its output."""


def index_site(folder: Path) -> None:
    """Index every page of `folder` that carries `data-pagefind-body` into `folder/pagefind/`."""
    command = [str(pagefind_bin.get_executable()), "--site", str(folder), "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index the site:\n{result.stdout}{result.stderr}")
