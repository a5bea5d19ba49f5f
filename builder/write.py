"""Writing the site: into a temporary folder beside the output, then swapped in whole."""

import os
import shutil
import tempfile
from pathlib import Path


def stage(files: dict[str, bytes], output: Path) -> Path:
    """Write every file into a new temporary folder next to `output` and return that folder."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    for name, data in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return staging


def swap(staging: Path, output: Path) -> None:
    """Put the staged folder in place of `output`; the old output is removed only afterwards."""
    output = output.resolve()
    retired = None
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        output.rename(retired / output.name)
    staging.rename(output)
    if retired:
        shutil.rmtree(retired)


def discard(staging: Path) -> None:
    """Remove a staged folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)


def split_unchanged(files: dict[str, bytes], output: Path) -> tuple[dict[str, bytes], list[str]]:
    """The files to write, and the names of those whose bytes `output` already holds (compared by content)."""
    if not output.is_dir():
        return files, []
    changed, same = {}, []
    for name, data in files.items():
        try:
            current = (output / name).read_bytes() if (output / name).stat().st_size == len(data) else None
        except OSError:
            current = None
        if current == data:
            same.append(name)
        else:
            changed[name] = data
    return changed, same


def link_unchanged(names: list[str], output: Path, staging: Path, files: dict[str, bytes]) -> None:
    """Hard-link each unchanged file from `output` into `staging` instead of writing it again."""
    for name in names:
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output / name, target)
        except OSError:  # another file system, or links not allowed: write it after all
            target.write_bytes(files[name])
