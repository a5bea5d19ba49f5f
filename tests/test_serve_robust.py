"""The live preview answers only its own address, under the site's policy, and keeps answering under load.

Every loop here is bounded and every socket is on 127.0.0.1. Time limits are loose (the failures
they catch take tens of seconds: dropped connections are retried after 1, 3, 7… seconds); that no
connection had to wait for such a retry is read from the kernel's own count of listen-queue drops.
"""

import http.client
import shutil
import socket
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from builder.build import Paths
from builder.serve import LivePreview
from conftest import free_port
from test_serve import edit, wait_for

ROOT = Path(__file__).resolve().parent.parent
SLOWEST = 5.0  # seconds; a request dropped from a full listen queue waits at least 1 s, then 3 s more
POLICY = next(line for line in (ROOT / "templates" / "base.html").read_text().splitlines() if "Content-Security-Policy" in line)


@pytest.fixture
def live(content_copy, tmp_path):
    """The preview of a copy of the bundled content, without search indexing."""
    templates = Path(shutil.copytree(ROOT / "templates", tmp_path / "templates"))
    static = Path(shutil.copytree(ROOT / "static", tmp_path / "static"))
    server = LivePreview(Paths(content_copy, templates, static, tmp_path / "unused"), ROOT / "pyproject.toml", free_port(), search=False)
    yield server
    server.stop()


def request(port: int, host: str | None, path: str = "/") -> tuple[int, str]:
    """Status and text of a GET with the given Host header (none at all when None)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def listen_drops() -> int:
    """Connections the kernel has dropped so far because a listen queue was full (each then waits 1 s or more)."""
    names, values = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(names, values))["ListenDrops"])


def timed_get(port: int) -> float:
    """Seconds until the home page has been answered in full."""
    started = time.monotonic()
    status, _ = request(port, f"127.0.0.1:{port}")
    assert status == 200
    return time.monotonic() - started


def test_only_its_own_address_is_answered(live):
    port = live.server.server_port
    assert request(port, f"127.0.0.1:{port}")[0] == 200
    assert request(port, f"localhost:{port}")[0] == 200
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", "", None):
        status, text = request(port, host)
        assert status == 403, host
        assert f"This preview answers only http://127.0.0.1:{port}/ and http://localhost:{port}/" in text
        assert "House of Digitalisation" not in text


def test_the_problem_page_has_the_sites_policy(live):
    port, url = live.server.server_port, f"127.0.0.1:{live.server.server_port}"
    status, good = request(port, url, "/practices/house-of-digitalisation/")
    assert status == 200 and POLICY in good
    edit(live.paths.content / "practices" / "house-of-digitalisation.md", "level: regional", "level: galactic")
    status, page = wait_for(lambda: (result := request(port, url, "/"))[0] == 500 and result, "the problem page")
    assert page.index(POLICY) < page.index("<title>")  # first in the head, as on every page of the site
    assert "galactic" in page


def test_two_hundred_concurrent_connections_are_all_answered_soon(live):
    port, dropped = live.server.server_port, listen_drops()
    with ThreadPoolExecutor(200) as pool:
        times = list(pool.map(lambda _: timed_get(port), range(200)))
    assert listen_drops() == dropped, "a connection waited for a retry: the listen queue was full"
    assert len(times) == 200 and max(times) < SLOWEST, f"slowest {max(times):.1f} s"


def test_a_hundred_slow_clients_do_not_hold_up_others(live):
    port, dropped = live.server.server_port, listen_drops()
    slow = []
    for _ in range(100):  # each sends half a request and waits
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock.sendall(b"GET / HTTP/1.1\r\nHo")
        slow.append(sock)
    try:
        assert timed_get(port) < SLOWEST
        for sock in slow:  # they finish their requests and are answered too
            sock.sendall(f"st: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        for sock in slow:
            assert sock.recv(64).startswith(b"HTTP/1.0 200")
        assert listen_drops() == dropped, "a connection waited for a retry: the listen queue was full"
    finally:
        for sock in slow:
            sock.close()


def test_clients_that_hang_up_print_no_traceback(live, capfd):
    port = live.server.server_port
    for _ in range(30):  # ask for a page, then reset the connection before reading the answer
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(f"GET /practices/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        sock.close()
    stalled = socket.create_connection(("127.0.0.1", port), timeout=30)  # and one that never sends anything
    try:
        assert timed_get(port) < SLOWEST
        time.sleep(0.5)
    finally:
        stalled.close()
    assert "Traceback" not in capfd.readouterr().err
    assert threading.active_count() < 100  # handler threads end with their connections
