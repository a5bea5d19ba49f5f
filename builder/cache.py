"""A build cache of derived data (parsed front matter, rendered Markdown, page keys), keyed by content hash.

Every key is a SHA-256 of the inputs *and* of the builder's fingerprint: the builder's own source
and data files, the Python version and the versions of the libraries that shape the output. A
changed file, setting, template or dependency therefore gives new keys: a stale entry is never
found, only left unused, and dropped at the next save. The folder (`.cache/` by default) is safe to
delete at any time.

The cache is restored on CI from a store anyone's pull request can write to, so it holds data,
never code: each entry is CBOR (cbor2, which builds only plain values: no pickles, no classes) in
one SQLite file (the standard library's), behind the SHA-256 of its kind, key and bytes. An entry
whose bytes do not match counts as missing and is computed again; a file SQLite finds damaged is
replaced by an empty one.
"""

import errno
import hashlib
import os
import sqlite3
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path

import cbor2

from . import __version__

LIBRARIES = ("markdown", "pymdown-extensions", "cmarkgfm", "nh3", "pyyaml", "python-frontmatter", "jinja2", "pycountry", "python-slugify", "pagefind", "pagefind_bin")
STORE_VERSION = 3
DATABASE = "cache.sqlite3"
ERRNOS = {"FULL": errno.ENOSPC, "READONLY": errno.EROFS, "PERM": errno.EACCES, "CANTOPEN": errno.EACCES}  # SQLite's, as the OS's
PLAIN = (str, int, float, bool, type(None))
LEAVES = frozenset({str, int, bool, type(None)})  # exact types; a float may be NaN


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
    """Whether a value is made only of text, numbers, booleans, None, lists and text-keyed dicts (what CBOR gives back as it was).

    One loop over a stack, not a call per item: an output's record holds a few hundred pairs.
    """
    waiting = [value]
    while waiting:
        value = waiting.pop()
        kind = type(value)
        if kind in LEAVES:  # the commonest, checked first
            continue
        if kind is list:
            waiting += value
        elif isinstance(value, float):
            if value != value:  # NaN never equals itself: not worth caching
                return False
        elif isinstance(value, PLAIN):
            continue
        elif isinstance(value, list):
            waiting += value
        elif isinstance(value, dict) and all(isinstance(key, str) for key in value):
            waiting += value.values()
        else:
            return False
    return True


class Cache:
    """Plain values by kind and key, in one SQLite file under `folder`, read and written entry by entry.

    Nothing is held in memory but the keys this run used: at 10,000 practices the entries are some
    160 MB, which a file per kind had to hold, and write again whole after any edit. With
    `folder=None` the database is in memory, so a long-running process (the preview server) can keep
    one Cache across rebuilds. A damaged or foreign file counts as empty and is replaced; a cache that
    cannot be written (a full disk) is left unused for the rest of the run, and `save` says why.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.salt = fingerprint()
        self.database: sqlite3.Connection | None = None
        self.failure: OSError | None = None
        self.used: dict[str, set[str]] = {}
        self.hits: Counter = Counter()

    def key(self, kind: str, *parts: bytes | str) -> str:
        """The key of a value derived from `parts` by this builder."""
        return digest(self.salt, kind, *parts)

    def path(self) -> Path:
        """The file that holds the entries."""
        return self.folder / DATABASE

    def get(self, kind: str, key: str):
        """The value stored under `key`, or None when it is missing or its bytes fail their checksum."""
        row = self.execute("SELECT data FROM entries WHERE kind = ? AND key = ?", (kind, key))
        value = unpack(kind, key, row[0]) if row and isinstance(row[0], bytes) else None
        if value is not None:
            self.used.setdefault(kind, set()).add(key)
            self.hits[kind] += 1
        return value

    def put(self, kind: str, key: str, value) -> None:
        """Store a plain value under `key`; anything else is simply not cached."""
        if value is not None and is_plain(value):
            self.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (kind, key, pack(kind, key, value)))
            self.used.setdefault(kind, set()).add(key)

    def save(self) -> None:
        """Keep only the entries this run used, of each kind it used, and commit; raise OSError when it cannot."""
        used, self.used = self.used, {}
        if self.database is not None and self.failure is None:
            keys = [(kind, key) for kind in sorted(used) for key in sorted(used[kind])]
            try:
                with self.database:
                    self.database.execute("CREATE TEMP TABLE IF NOT EXISTS used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))")
                    self.database.execute("DELETE FROM used")
                    self.database.executemany("INSERT INTO used VALUES (?, ?)", keys)
                    self.database.executemany("DELETE FROM entries WHERE kind = ? AND NOT EXISTS (SELECT 1 FROM used "
                                              "WHERE used.kind = entries.kind AND used.key = entries.key)",
                                              [(kind,) for kind in sorted(used)])
            except (sqlite3.Error, OSError) as error:
                self.failed(error)
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def execute(self, statement: str, parameters: tuple):
        """Run one statement; its first row, or None (also when the cache cannot be used: see `failed`)."""
        if self.failure is not None:
            return None
        try:
            if self.database is None:
                self.database = self.open()
            return self.database.execute(statement, parameters).fetchone()
        except (sqlite3.Error, OSError) as error:
            self.failed(error)
            return None

    def open(self) -> sqlite3.Connection:
        """The database (a damaged file fails here, and `failed` replaces it)."""
        if self.folder is None:
            return open_database(":memory:")
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.cbor"):  # the files of the cache before this one
            old.unlink(missing_ok=True)
        return open_database(self.path())

    def failed(self, error: sqlite3.Error | OSError) -> None:
        """After an error: a damaged file is replaced by an empty one; anything else leaves the cache unused for this run."""
        if self.database is not None:
            self.database.close()
            self.database = None
        if isinstance(error, sqlite3.Error) and damage(error):
            self.remove()
            self.used = {}
        elif isinstance(error, OSError):
            self.failure = error
        else:
            name = (getattr(error, "sqlite_errorname", None) or "").removeprefix("SQLITE_").split("_")[0]
            code = ERRNOS.get(name, errno.EIO)
            self.failure = OSError(code, os.strerror(code), self.folder and str(self.path()))

    def remove(self) -> None:
        """Delete the database file and its journal (an in-memory one has none)."""
        for name in (DATABASE, DATABASE + "-journal") if self.folder is not None else ():
            (self.folder / name).unlink(missing_ok=True)


def damage(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file is damaged or not a database (not that it cannot write)."""
    return (getattr(error, "sqlite_errorname", None) or "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def open_database(path) -> sqlite3.Connection:
    """The cache's database at `path`, with its table; raises DatabaseError for a damaged file."""
    # One thread at a time uses it (the preview rebuilds under a lock); a crash loses at most the last run's entries.
    database = sqlite3.connect(path, check_same_thread=False)
    try:
        database.execute("PRAGMA synchronous = OFF")
        database.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT, key TEXT, data BLOB, PRIMARY KEY (kind, key))")
        database.execute("SELECT count(*) FROM entries WHERE kind = ''").fetchone()  # a foreign file fails here
        database.commit()
    except sqlite3.Error:
        database.close()
        raise
    return database


def pack(kind: str, key: str, value) -> bytes:
    """A value's CBOR bytes behind a SHA-256 of its kind, key and bytes (a damaged file cannot give one key another's value)."""
    data = cbor2.dumps(value)
    return checksum(kind, key, data) + data


def checksum(kind: str, key: str, data: bytes) -> bytes:
    """The SHA-256 that an entry of `kind` under `key` carries."""
    return hashlib.sha256(f"{kind}\0{key}\0".encode("utf-8", "surrogatepass") + data).digest()


def unpack(kind: str, key: str, entry: bytes):
    """The value of a packed entry, or None when its checksum fails or it does not decode."""
    data = entry[32:]
    if len(entry) < 32 or checksum(kind, key, data) != entry[:32]:
        return None
    try:
        return cbor2.loads(data)
    except (ValueError, cbor2.CBORDecodeError, RecursionError, MemoryError):
        return None
