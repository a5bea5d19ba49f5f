"""A build cache of derived data (parsed front matter, rendered Markdown), keyed by content hash.

Every key is a SHA-256 of the inputs *and* of the builder's fingerprint: the builder's own source
files, the Python version and the versions of the libraries that shape the output. A changed
file, setting, template or dependency therefore gives new keys: a stale entry is never found,
only left unused, and dropped at the next save. The folder (`.cache/` by default) is safe to
delete at any time. It is trusted like the source tree (entries are pickles the builder wrote).
"""

import hashlib
import os
import pickle
import sys
import tempfile
from collections import Counter
from importlib import metadata
from pathlib import Path

from . import __version__

LIBRARIES = ("markdown", "pymdown-extensions", "cmarkgfm", "nh3", "pyyaml", "python-frontmatter", "jinja2", "pycountry", "python-slugify", "pagefind", "pagefind_bin")
STORE_VERSION = 1


def library_version(name: str) -> str:
    """The installed version of a distribution, or `-` when it is missing."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint() -> str:
    """A hash of everything besides the content that shapes the output: builder code, Python, libraries."""
    digest = hashlib.sha256(f"{STORE_VERSION} {__version__} {sys.version}".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={library_version(name)};".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    """The SHA-256 of `parts`, each length-prefixed so that no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


class Cache:
    """Derived values by kind and key, loaded from and saved to one file per kind under `folder`.

    With `folder=None` nothing is read or written, but values still live for the object's lifetime,
    so a long-running process (the preview server) can keep one Cache across rebuilds.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.salt = fingerprint()
        self.stores: dict[str, dict[str, bytes]] = {}
        self.used: dict[str, set[str]] = {}
        self.changed: set[str] = set()
        self.hits: Counter = Counter()

    def key(self, kind: str, *parts: bytes | str) -> str:
        """The key of a value derived from `parts` by this builder."""
        return digest(self.salt, kind, *parts)

    def store(self, kind: str) -> dict[str, bytes]:
        """The entries of one kind, read from disk on first use; a damaged file counts as empty."""
        if kind not in self.stores:
            self.stores[kind], self.used[kind] = self.read(kind), set()
        return self.stores[kind]

    def read(self, kind: str) -> dict[str, bytes]:
        """One kind's entries from disk."""
        path = self.folder / f"{kind}.pickle" if self.folder else None
        try:
            with open(path, "rb") as file:
                entries = pickle.load(file)
            return entries if isinstance(entries, dict) else {}
        except (OSError, TypeError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return {}

    def get(self, kind: str, key: str):
        """The value stored under `key`, or None; each value is a fresh copy."""
        data = self.store(kind).get(key)
        if data is None:
            return None
        self.used[kind].add(key)
        self.hits[kind] += 1
        return pickle.loads(data)

    def put(self, kind: str, key: str, value) -> None:
        """Store `value` under `key`."""
        self.store(kind)[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.used[kind].add(key)
        self.changed.add(kind)

    def save(self) -> None:
        """Write the kinds that changed, keeping only entries this build used; atomic per file."""
        for kind in sorted(self.stores):
            store, used = self.stores[kind], self.used[kind]
            if kind not in self.changed and len(used) == len(store):
                continue
            self.stores[kind] = {key: store[key] for key in sorted(used)}
            if self.folder:
                write_atomic(self.folder / f"{kind}.pickle", pickle.dumps(self.stores[kind], protocol=pickle.HIGHEST_PROTOCOL))
        self.changed.clear()
        for kind in self.used:
            self.used[kind] = set()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
