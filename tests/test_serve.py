"""`inset serve` as an operator runs it: several worker processes, and SIGTERM during a request.

The server runs as a real process on a free port. A request is kept in flight the way a slow
client keeps it: the headers and half the body are sent, the rest only later. Which
processes still listen is read from /proc (Linux), so the test knows the workers have begun
to shut down before it lets the request finish.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from web.browser_support import free_port

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")

JSON = {"Content-Type": "application/json"}
QUERY = json.dumps({"query": "{ viewer { name } }"}).encode()
SIGN_IN = json.dumps(
    {
        "query": "mutation($i: SignInInput!) { signIn(input: $i) { account { name } } }",
        "variables": {"i": {"email": "lead@northmoor.example", "password": "demo-lead-northmoor"}},
    }
)
FROM_A_TLS_PROXY = {**JSON, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


class Server:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.base = f"http://127.0.0.1:{port}"

    def workers(self) -> list[int]:
        """The worker processes: the server's children that serve HTTP."""
        return [pid for pid in children(self.process.pid) if "uvloop" in maps(pid)]

    def listening(self) -> set[int]:
        """The processes holding the listening socket."""
        inode = listening_inode(self.port)
        pids = [self.process.pid, *children(self.process.pid)]
        return {pid for pid in pids if f"socket:[{inode}]" in open_files(pid)}


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*options: str) -> Server:
        env = {
            **os.environ,
            "INSET_DATABASE_URL": f"sqlite:///{tmp_path / 'inset.db'}",
            "INSET_SECRET_FILE": str(tmp_path / "secret"),
        }
        command = [sys.executable, "-m", "inset"]
        subprocess.run([*command, "db", "upgrade"], env=env, cwd=tmp_path, check=True, timeout=60)
        port = free_port()
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port), *options],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so that no worker outlives the test
        )
        server = Server(process, port)
        started.append(server)
        wait_until_it_answers(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.terminate()
        try:
            server.process.communicate(timeout=60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.process.pid, signal.SIGKILL)
            server.process.communicate()


def wait_until_it_answers(server: Server) -> None:
    deadline = time.monotonic() + 60  # a guard against a hung start, not a measurement
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server stopped: {server.process.communicate()}")
        try:
            httpx.get(f"{server.base}/sign-in", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60  # a guard, not a measurement
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting until {what}")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def maps(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


def open_files(pid: int) -> set[str]:
    try:
        return {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
    except OSError:
        return set()


def listening_inode(port: int) -> str:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(f":{port:04X}") and fields[3] == "0A":
            return fields[9]
    raise AssertionError(f"nothing listens on port {port}")


def start_slow_request(server: Server) -> socket.socket:
    """A POST to /graphql whose body has only half arrived."""
    client = socket.create_connection(("127.0.0.1", server.port))
    head = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(QUERY)}\r\n\r\n"
    )
    client.sendall(head.encode() + QUERY[:10])
    return client


def response_of(client: socket.socket) -> str:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def test_two_workers_answer_each_on_uvloop_and_httptools(serve):
    server = serve("--workers", "2")

    answers = [httpx.post(f"{server.base}/graphql", content=QUERY, headers=JSON) for _ in range(6)]

    assert [a.json()["data"] for a in answers] == [{"viewer": None}] * 6
    workers = server.workers()
    assert len(workers) == 2
    for pid in workers:
        assert "httptools" in maps(pid)


def test_sigterm_lets_a_request_in_flight_finish_before_the_workers_exit(serve):
    server = serve("--workers", "2")
    client = start_slow_request(server)

    # when the server is told to stop while the request's body is still arriving
    server.process.send_signal(signal.SIGTERM)
    wait_for(lambda: server.listening() <= {server.process.pid}, "every worker stops listening")
    client.sendall(QUERY[10:])

    # then the request is answered in full, and the server exits
    with client:
        response = response_of(client)
    assert response.startswith("HTTP/1.1 200 OK")
    assert '{"data":{"viewer":null}' in response
    server.process.communicate(timeout=60)
    assert server.process.returncode in (0, -signal.SIGTERM)


def test_a_request_that_never_finishes_is_cut_off_after_the_graceful_timeout(serve):
    server = serve("--graceful-timeout", "1")
    client = start_slow_request(server)

    server.process.send_signal(signal.SIGTERM)

    # the server exits although the request never completes (the guard is far longer)
    with client:
        server.process.communicate(timeout=60)
    assert server.process.returncode in (0, -signal.SIGTERM)


@pytest.mark.parametrize(
    ("options", "secure"),
    [
        ([], False),
        (["--proxy-headers"], True),
        (["--forwarded-allow-ips", "127.0.0.1,::1"], True),
        (["--proxy-headers", "--forwarded-allow-ips", "192.0.2.10"], False),
    ],
)
def test_behind_a_trusted_tls_proxy_the_sign_in_cookie_is_secure(serve, options, secure):
    server = serve("--demo", *options)

    response = httpx.post(f"{server.base}/graphql", content=SIGN_IN, headers=FROM_A_TLS_PROXY)

    assert response.json()["data"]["signIn"]["account"] is not None
    cookie = response.headers["set-cookie"]
    assert ("; secure" in cookie.lower()) is secure, cookie
