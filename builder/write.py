"""Writing the site: into a temporary folder beside the output, then swapped in whole."""

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
