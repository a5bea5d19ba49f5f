"""A build cache of derived data (parsed front matter, rendered Markdown, page keys), keyed by content hash.

Every key is a SHA-256 of the inputs *and* of the builder's fingerprint: the builder's own source
and data files, the Python version and the versions of the libraries that shape the output. A
changed file, setting, template or dependency therefore gives new keys: a stale entry is never
found, only left unused, and dropped at the next save. The folder (`.cache/` by default) is safe to
delete at any time.

The cache is restored on CI from a store anyone's pull request can write to, so it holds data,
never code: each kind is one CBOR file (cbor2, which builds only plain values: no pickles, no
classes), and each entry carries the SHA-256 of its bytes. An entry whose bytes do not match, or a
file that does not decode, counts as missing and is computed again.
"""

import hashlib
import os
import sys
import tempfile
from collections import Counter
from importlib import metadata
from pathlib import Path

import cbor2

from . import __version__

LIBRARIES = ("markdown", "pymdown-extensions", "cmarkgfm", "nh3", "pyyaml", "python-frontmatter", "jinja2", "pycountry", "python-slugify", "pagefind", "pagefind_bin")
STORE_VERSION = 2
PLAIN = (str, int, float, bool, type(None))


def library_version(name: str) -> str:
    """The installed version of a distribution, or `-` when it is missing."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint() -> str:
    """A hash of everything besides the content that shapes the output: builder code and data, Python, libraries."""
    digest = hashlib.sha256(f"{STORE_VERSION} {__version__} {sys.version}".encode())
    for name in LIBRARIES:
        digest.update(f"{name}={library_version(name)};".encode())
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("data/*")]):
        if path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    """The SHA-256 of `parts`, each length-prefixed so that no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def is_plain(value) -> bool:
    """Whether a value is made only of text, numbers, booleans, None, lists and text-keyed dicts (what CBOR gives back as it was)."""
    if isinstance(value, PLAIN):
        return not isinstance(value, float) or value == value  # NaN never equals itself: not worth caching
    if isinstance(value, list):
        return all(is_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_plain(item) for key, item in value.items())
    return False


class Cache:
    """Plain values by kind and key, loaded from and saved to one CBOR file per kind under `folder`.

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

    def path(self, kind: str) -> Path:
        """The file that holds one kind's entries."""
        return self.folder / f"{kind}.cbor"

    def read(self, kind: str) -> dict[str, bytes]:
        """One kind's entries from disk: {key: checksum + CBOR bytes}; anything else is dropped."""
        if self.folder is None:
            return {}
        try:
            entries = cbor2.loads(self.path(kind).read_bytes())
        except (OSError, ValueError, cbor2.CBORDecodeError, RecursionError, MemoryError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {key: data for key, data in entries.items() if isinstance(key, str) and isinstance(data, bytes)}

    def get(self, kind: str, key: str):
        """The value stored under `key`, or None when it is missing or its bytes fail their checksum."""
        data = self.store(kind).get(key)
        value = unpack(data) if data is not None else None
        if value is None:
            self.store(kind).pop(key, None)
            return None
        self.used[kind].add(key)
        self.hits[kind] += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        """Store a plain value under `key`; anything else is simply not cached."""
        if value is None or not is_plain(value):
            return
        self.store(kind)[key] = pack(value)
        self.used[kind].add(key)
        self.changed.add(kind)

    def save(self) -> None:
        """Write the kinds that changed, keeping only entries this build used; atomic per file."""
        for kind in sorted(self.stores):
            store, used = self.stores[kind], self.used[kind]
            if kind not in self.changed and len(used) == len(store):
                continue
            self.stores[kind] = {key: store[key] for key in sorted(used) if key in store}
            if self.folder:
                write_atomic(self.path(kind), cbor2.dumps(self.stores[kind]))
        self.changed.clear()
        for kind in self.used:
            self.used[kind] = set()


def pack(value) -> bytes:
    """A value's CBOR bytes behind their SHA-256."""
    data = cbor2.dumps(value)
    return hashlib.sha256(data).digest() + data


def unpack(entry: bytes):
    """The value of a packed entry, or None when its checksum fails or it does not decode."""
    checksum, data = entry[:32], entry[32:]
    if len(checksum) != 32 or hashlib.sha256(data).digest() != checksum:
        return None
    try:
        return cbor2.loads(data)
    except (ValueError, cbor2.CBORDecodeError, RecursionError, MemoryError):
        return None


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
