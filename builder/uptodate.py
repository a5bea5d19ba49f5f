"""Whether the output is already what these inputs give: then a rebuild has nothing to do.

The key covers every input byte (content, templates, static files), the settings, the search
switch, the working folder (problem paths are shown relative to it) and the builder's
fingerprint. The output is checked by the SHA-256 of every file, not by dates: an output folder
that someone touched, or that is gone, is rebuilt.
"""

import hashlib
import os
from dataclasses import astuple
from pathlib import Path

from .problems import Problem

KIND = "up-to-date"


def walk(folder: Path, follow: bool) -> list[tuple[str, str]]:
    """(relative path, full path) of every file under `folder`, sorted; plain strings, as pathlib is slow here."""
    root = str(folder)
    found = []
    for directory, _, names in os.walk(root, followlinks=follow):
        prefix = directory[len(root) + 1:].replace(os.sep, "/")
        found += [((prefix + "/" if prefix else "") + name, os.path.join(directory, name)) for name in names]
    return sorted(found)


def sha256_file(path: str) -> str:
    """The SHA-256 of a file's bytes."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def file_hashes(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under `folder`, by relative path."""
    return {name: sha256_file(path) for name, path in walk(folder, follow=False)}


def folder_parts(folder: Path) -> list[str]:
    """Every file under `folder` (links followed) as (path, link target or "", SHA-256 of its bytes)."""
    parts = []
    for name, path in walk(folder, follow=True) if folder.is_dir() else []:
        parts += [name, os.readlink(path) if os.path.islink(path) else "", sha256_file(path)]
    return parts


def inputs_key(cache, paths, config, search: bool) -> str:
    """The key of one build's inputs."""
    parts = [repr(astuple(config)), str(search), os.getcwd(), str(paths.content.resolve()), str(paths.output.resolve())]
    for folder in (paths.content, paths.templates, paths.static):
        parts += [f"folder {folder}", *folder_parts(folder)]
    return cache.key(KIND, *parts)


def recorded(cache, key: str, output: Path):
    """The problems of the recorded build with these inputs, if `output` still holds exactly its files."""
    entry = cache.get(KIND, key)
    if not isinstance(entry, list) or len(entry) != 2 or not output.is_dir():
        return None
    try:
        problems = [Problem(str(path), int(line), str(message), str(severity)) for path, line, message, severity in entry[0]]
    except (TypeError, ValueError):
        return None
    return problems if file_hashes(output) == entry[1] else None


def record(cache, key: str, output: Path, problems: list, known: dict[str, str]) -> None:
    """Remember the build of these inputs: its problems and the hash of every output file.

    `known` holds the hashes of the files this build just wrote or checked, so only the others are read.
    """
    hashes = {name: known.get(name) or sha256_file(path) for name, path in walk(output, follow=False)}
    cache.put(KIND, key, [[[p.path, p.line, p.message, p.severity] for p in problems], hashes])
