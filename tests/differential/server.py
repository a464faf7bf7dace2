"""The recording server: answers every request under /client/v4 with a success envelope and keeps what was sent.

The callers run one call at a time and, after each, take what was recorded with `GET /__diff/drain` (a JSON list:
method, target, headers as [name, value] pairs, body as base64), so each request is tied to the call that sent it.
List operations get a page that stops every pagination kind after one request (spec.response_for); the status is
always 200, so no SDK retries. Standard library only.
"""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PREFIX = "/client/v4"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no delayed-ACK stall between them
    server: RecordingServer

    def log_message(self, *args):  # quiet
        pass

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _handle(self):
        body = self._read_body()
        if self.path.startswith("/__diff/drain"):
            with self.server.lock:
                out, self.server.recorded = self.server.recorded, []
            self._send(200, json.dumps(out).encode())
            return
        target = self.path[len(PREFIX) :] if self.path.startswith(PREFIX) else self.path
        record = {
            "method": self.command,
            "target": target,
            "under_prefix": self.path.startswith(PREFIX),
            "headers": [[k.lower(), v] for k, v in self.headers.items()],
            "body": base64.b64encode(body).decode(),
        }
        with self.server.lock:
            self.server.recorded.append(record)
        op = self.server.match(self.command, urlsplit(target).path) if self.server.match else None
        self._send(200, json.dumps(self.server.respond(op)).encode())

    def _send(self, status: int, payload: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # TOOLCHAIN.md: a small backlog stalls concurrent connects

    def __init__(self, match=None, respond=None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.recorded: list[dict] = []
        self.match = match
        self.respond = respond or (lambda op: {"success": True, "errors": [], "messages": [], "result": {}})
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{PREFIX}"

    def start(self) -> RecordingServer:
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()
