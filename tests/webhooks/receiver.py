"""A partner's receiver on 127.0.0.1 that verifies every request with `standardwebhooks`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    type: str
    data: dict[str, Any]


@dataclass
class Receiver:
    """Answers with `answer(n)` for the n-th request (1-based): a status code, or a
    (status, seconds to wait first) pair. Bad signatures are counted, answered 400."""

    secret: str = ""
    answer: Callable[[int], int | tuple[int, float]] = lambda _n: 204
    received: list[Received] = field(default_factory=list)
    bad_signatures: list[str] = field(default_factory=list)
    requests: int = 0
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/inset"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver._lock:
                    receiver.requests += 1
                    n = receiver.requests
                status, wait = receiver._answer(n)
                if wait:
                    time.sleep(wait)
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers))
                except WebhookVerificationError as error:
                    receiver.bad_signatures.append(str(error))
                    status = 400
                else:
                    if 200 <= status < 300:
                        with receiver._lock:
                            receiver.received.append(
                                Received(
                                    self.headers["webhook-id"], payload["type"], payload["data"]
                                )
                            )
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _answer(self, n: int) -> tuple[int, float]:
        answer = self.answer(n)
        return answer if isinstance(answer, tuple) else (answer, 0.0)

    def ids(self) -> list[str]:
        with self._lock:
            return [r.webhook_id for r in self.received]

    def by_project(self) -> dict[str, list[str]]:
        """The webhook ids received for each project, in the order they arrived."""
        found: dict[str, list[str]] = {}
        with self._lock:
            for r in self.received:
                found.setdefault(r.data.get("project", ""), []).append(r.webhook_id)
        return found


@contextmanager
def receiving(**options: Any) -> Iterator[Receiver]:
    receiver = Receiver(**options)
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


def event_number(webhook_id: str) -> int:
    """The position in the feed behind a `webhook-id` (an Event's global id)."""
    from inset.ids import from_global_id

    decoded = from_global_id(webhook_id)
    assert decoded is not None
    assert decoded[0] == "Event"
    return decoded[1]


def in_feed_order(ids: list[str]) -> bool:
    numbers = [event_number(i) for i in ids]
    return numbers == sorted(numbers)


def as_json(received: list[Received]) -> str:
    return json.dumps([r.__dict__ for r in received])
