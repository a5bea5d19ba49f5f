"""The live preview: serve the site on 127.0.0.1, rebuild on save, reload open pages by server-sent events."""

import html
import mimetypes
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .build import Paths
from .preview import Preview
from .problems import Problem
from .report import format_problems, print_problems
from .search import SearchIndexError, index_site

SETTLE = 0.05  # seconds without a save before rebuilding: editors save several files at once
KEEP_ALIVE = 15
RELOAD_JS = (Path(__file__).parent / "data" / "reload.js").read_bytes()
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
STRICT_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
WATCHED_SUFFIXES = {".md", ".yaml", ".yml", ".html", ".xml", ".txt", ".css", ".js", ".svg", ".png", ".jpg",
                    ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".json", ".toml"}


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server for one Preview, with a condition that wakes the event streams after a rebuild.

    One thread per connection, none outliving the server, and a listen queue deep enough that a burst
    of connections (a browser opening many pages, a link checker) waits for no retransmission.
    """

    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, preview: Preview, port: int, templates: Path | None = None):
        super().__init__(("127.0.0.1", port), Handler)
        self.preview = preview
        self.rebuilt = threading.Condition()
        self.closing = False
        self.hosts = {f"127.0.0.1:{self.server_port}", f"localhost:{self.server_port}"}
        self.policy = site_policy(templates)

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up or stalls is normal; anything else is one line, not a traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            print(f"The preview could not answer a request: {error!r}", file=sys.stderr)

    def announce(self) -> None:
        """Wake every open event stream: the site (or its problem list) changed."""
        with self.rebuilt:
            self.rebuilt.notify_all()

    def close_streams(self) -> None:
        """Let the event streams end."""
        self.closing = True
        self.announce()


class Handler(BaseHTTPRequestHandler):
    """Site files from memory (HTML with the reload script added), the script itself, and the event stream."""

    server: PreviewServer
    head = False
    timeout = 10  # seconds a client may take to send its request, so stalled clients free their threads

    def do_HEAD(self) -> None:
        """Headers only."""
        self.head = True
        self.do_GET()

    def do_GET(self) -> None:
        """Answer one request, if it was sent to this preview's own address (DNS rebinding cannot reach it)."""
        host = self.headers.get("Host", "")
        if host.lower() not in self.server.hosts:
            return self.reply(403, "text/plain; charset=utf-8", (
                f"This preview answers only http://127.0.0.1:{self.server.server_port}/ and "
                f"http://localhost:{self.server.server_port}/, not the host {host!r}: "
                "other names could let another web site read it.\n").encode())
        url = urlsplit(self.path)
        if url.path == "/__reload.js":
            return self.reply(200, "text/javascript; charset=utf-8", RELOAD_JS)
        if url.path == "/__reload" and not self.head:
            since = (parse_qs(url.query).get("since") or ["0"])[0]
            return self.stream_events(int(since) if since.isdigit() else 0)
        self.send_site_file(unquote(url.path).lstrip("/"))

    def send_site_file(self, name: str) -> None:
        """A file of the site; the problem page instead of any page while the content is broken."""
        preview = self.server.preview
        version = preview.version  # read first: a rebuild finishing meanwhile must still reload this page
        if name == "" or name.endswith("/"):
            name += "index.html"
        if preview.failure and name.endswith(".html"):
            page = problem_page(preview.failure, self.server.policy)
            return self.reply(500, "text/html; charset=utf-8", self.with_script(page, version))
        data = preview.file(name)
        if data is None and name.startswith("pagefind/") and ".." not in name.split("/"):
            target = preview.search_folder.parent / name
            data = target.read_bytes() if target.is_file() else None
        if data is None and preview.file(f"{name}/index.html") is not None:
            self.send_response(301)
            self.send_header("Location", f"/{name}/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if data is None:
            return self.reply(404, "text/html; charset=utf-8", self.with_script(preview.file("404.html") or b"Not found", version))
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        kind += "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("xml", "json", "javascript")) else ""
        self.reply(200, kind, self.with_script(data, version) if name.endswith(".html") else data)

    def with_script(self, page: bytes, version: int) -> bytes:
        """The page with the warnings notice and the reload script before `</body>` (a same-origin file, allowed by the CSP)."""
        tag = warnings_notice(self.server.preview.warnings) + f'<script src="/__reload.js" data-version="{version}"></script>\n'.encode()
        end = page.rfind(b"</body>")
        return page[:end] + tag + page[end:] if end >= 0 else page + tag

    def reply(self, status: int, kind: str, body: bytes) -> None:
        """Send a complete response that the browser must not cache."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not self.head:
            self.wfile.write(body)

    def stream_events(self, since: int) -> None:
        """Server-sent events: `reload` whenever the site is newer than the page's version."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        server = self.server
        while not server.closing:
            with server.rebuilt:
                if server.preview.version <= since:
                    server.rebuilt.wait(KEEP_ALIVE)
            version = server.preview.version
            message = f"event: reload\ndata: {version}\n\n" if version > since else ": still here\n\n"
            since = max(since, version)
            try:
                self.wfile.write(message.encode())
                self.wfile.flush()
            except OSError:  # the page was closed or reloaded
                return

    def log_message(self, format, *args) -> None:
        """Requests are not logged; rebuilds are."""


def warnings_notice(warnings: list[Problem], shown: int = 10) -> bytes:
    """A small notice of the content's warnings, added to every page of the preview (never to the published site)."""
    if not warnings:
        return b""
    items = "".join(f"<li><code>{html.escape(str(problem))}</code></li>" for problem in warnings[:shown])
    more = f"<li>… and {len(warnings) - shown} more (see the terminal)</li>" if len(warnings) > shown else ""
    count = "1 warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
    return (f'<aside class="preview-notice" role="status" aria-label="Preview warnings"><p>Preview: {count} '
            f'(the published site shows no notice)</p><ul>{items}{more}</ul></aside>\n').encode()


def site_policy(templates: Path | None) -> str:
    """The site's Content-Security-Policy, read from the base template (its one place), else a strict one."""
    try:
        match = POLICY.search((templates / "base.html").read_text(encoding="utf-8")) if templates else None
    except OSError:
        match = None
    return html.unescape(match[1]) if match else STRICT_POLICY


def problem_page(problems: list[Problem], policy: str = "") -> bytes:
    """A page that lists what to fix, shown in place of the site while its content is broken, under the site's policy."""
    items = "\n".join(f"<li><code>{html.escape(str(problem))}</code></li>" for problem in problems)
    summary = html.escape(format_problems(problems).splitlines()[-1])
    return f"""<!doctype html>
<html lang="en">
<head><meta http-equiv="Content-Security-Policy" content="{html.escape(policy or STRICT_POLICY, quote=False).replace('"', "&quot;")}">
<meta charset="utf-8"><title>Problems to fix · preview</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<main>
<h1>The site could not be built</h1>
<p>{summary} Fix them and save: this page comes back by itself.</p>
<ul class="problems">
{items}
</ul>
</main>
</body>
</html>
""".encode()


class Watcher(FileSystemEventHandler):
    """Collects saved paths and rebuilds once saves have settled for SETTLE seconds."""

    def __init__(self, rebuild, settle: float = SETTLE):
        self.rebuild, self.settle, self.accept = rebuild, settle, lambda path: True
        self.changed, self.last = set(), 0.0
        self.lock, self.wake, self.stopped = threading.Lock(), threading.Event(), False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def on_any_event(self, event) -> None:
        """Note a created, changed, deleted or moved file that can change the site."""
        if event.is_directory or event.event_type not in ("created", "modified", "deleted", "moved"):
            return
        paths = {Path(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p}
        paths = {p for p in paths if p.suffix in WATCHED_SUFFIXES and not p.name.startswith((".", "#", "~")) and self.accept(p)}
        if paths:
            with self.lock:
                self.changed |= paths
                self.last = time.monotonic()
                self.wake.set()

    def loop(self) -> None:
        """Wait for a burst of saves to settle, then rebuild with every path saved in it."""
        while not self.stopped:
            self.wake.wait()
            while (remaining := self.last + self.settle - time.monotonic()) > 0:
                time.sleep(remaining)
            with self.lock:
                changed, self.changed = self.changed, set()
                self.wake.clear()
            if changed and not self.stopped:
                self.rebuild(changed)

    def stop(self) -> None:
        """End the loop."""
        self.stopped = True
        self.wake.set()


class Indexer:
    """Runs Pagefind over the preview's folder in the background, once more if the site changed meanwhile."""

    def __init__(self, folder: Path, bundle: Path):
        self.folder, self.bundle, self.wanted, self.stopped = folder, bundle, threading.Event(), False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self) -> None:
        """Index whenever asked, until stopped."""
        while True:
            self.wanted.wait()
            self.wanted.clear()
            if self.stopped:
                return
            try:
                index_site(self.folder, self.bundle)
            except (SearchIndexError, OSError) as error:
                print(f"Search is out of date: {error}", file=sys.stderr)

    def stop(self) -> None:
        """Let a running indexer finish, then end the loop (before the folder is removed)."""
        self.stopped = True
        self.wanted.set()
        self.thread.join()


class LivePreview:
    """The preview's site, server, file watcher and search indexer, started and stopped together."""

    def __init__(self, paths: Paths, pyproject: Path, port: int, search: bool = True, settle: float = SETTLE):
        self.paths, self.pyproject = paths, pyproject.absolute()
        self.preview = Preview(paths, pyproject, f"http://127.0.0.1:{port}/")
        try:
            self.server = PreviewServer(self.preview, port, paths.templates)
        except OSError:
            self.preview.close()
            raise
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.indexer = Indexer(self.preview.folder, self.preview.search_folder) if search else None
        self.watcher = Watcher(self.rebuild, settle)
        self.observer = Observer()
        for folder in (paths.content, paths.templates, paths.static):
            if folder.is_dir():
                self.observer.schedule(self.watcher, str(folder), recursive=True)
        self.observer.schedule(self.watcher, str(self.pyproject.parent), recursive=False)
        self.watcher.accept = self.watched
        self.observer.start()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.tell("Built the site", 0.0)

    def watched(self, path: Path) -> bool:
        """Whether a saved path can change the site: content, templates, static files or the configuration."""
        path = path.absolute()
        folders = (self.paths.content, self.paths.templates, self.paths.static)
        return path == self.pyproject or any(path.is_relative_to(folder.absolute()) for folder in folders)

    def rebuild(self, changed: set[Path]) -> None:
        """Rebuild after saves, wake the open pages, and re-index the search in the background."""
        started = time.perf_counter()
        try:
            what = self.preview.rebuild(changed)
        except Exception as error:  # the server outlives any bug of ours; the next save tries again
            print(f"The preview could not rebuild: {error!r}", file=sys.stderr)
            return
        self.server.announce()
        self.tell(f"Rebuilt {what}", time.perf_counter() - started)

    def tell(self, what: str, seconds: float) -> None:
        """Say what happened: the problem list, or what was rebuilt and how fast."""
        if self.preview.failure:
            print_problems(self.preview.failure)
            print("The browser shows these problems; save a fix and the page comes back.", file=sys.stderr)
            return
        print_problems(self.preview.warnings)
        print(f"{what} in {seconds * 1000:.0f} ms." if seconds else f"{what}.", flush=True)
        if self.indexer:
            self.indexer.wanted.set()

    def stop(self) -> None:
        """Stop watching and serving; remove the preview's folder."""
        self.observer.stop()
        self.watcher.stop()
        self.server.close_streams()
        self.server.shutdown()
        self.server.server_close()
        self.observer.join()
        if self.indexer:
            self.indexer.stop()
        self.preview.close()


def run(paths: Paths, pyproject: Path, port: int) -> int:
    """`python build.py serve`: serve until Ctrl+C; exit 2 when the port is taken."""
    try:
        live = LivePreview(paths, pyproject, port)
    except OSError as error:
        print(f"Cannot serve on 127.0.0.1:{port}: {error.strerror}; try --port with another number.", file=sys.stderr)
        return 2
    print(f"Serving the preview at {live.url} (search is re-indexed in the background after each rebuild). "
          "Press Ctrl+C to stop.", flush=True)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop cleanly when killed, too
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        live.stop()
    return 0
