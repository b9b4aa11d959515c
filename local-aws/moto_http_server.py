"""An HTTP/1.1 server for moto, with keep-alive, for the local AWS (used by moto-server.py).

moto's ThreadedMotoServer runs moto's WSGI application in werkzeug's development server, which
answers `Connection: close` to every request (a new TCP connection and thread per request) and,
after each response, waits up to 10 ms draining the socket. That cost each S3 and EC2 call of the
local AWS a few milliseconds, more than moto's own work on a small request. This serves the same
application, one thread per connection as werkzeug's threaded server does, but keeps connections
open: each request's body is read in full (Content-Length or chunked) before the application sees
it, so the next request on the connection starts where this one ends; headers and a small body go
out in one write, with TCP_NODELAY.

It also caches what moto's dispatcher recomputes on every request: which backend serves a host
(moto lists and stats its package directory and tries hundreds of URL patterns, under one lock).
"""
import io
import socket
import sys
import time
import traceback
from functools import lru_cache
from typing import Any, Iterable

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

# Bodies up to this size go out in the same write as the headers.
SMALL_BODY = 64 * 1024
# An idle connection is closed after this long (told to clients as Keep-Alive: timeout).
IDLE_SECONDS = 60
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"}


class BadRequest(Exception):
    """The request's framing cannot be read: answered 400 and the connection closed."""


class CachingDispatcher(DomainDispatcherApplication):
    """moto's dispatcher, remembering which backend serves each host name."""

    @lru_cache(maxsize=1024)
    def _backend_for_host(self, host: str) -> Any:
        return super().get_backend_for_host(host)

    def get_backend_for_host(self, host: str | None) -> Any:
        return None if host is None else self._backend_for_host(host)


def read_chunked(rfile: Any) -> bytes:
    """A chunked request body, decoded; its trailers are read and dropped."""
    body = bytearray()
    while True:
        line = rfile.readline(65537)
        if not line.endswith(b"\n"):
            raise BadRequest("chunk size line missing or too long")
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise BadRequest(f"invalid chunk size {line[:40]!r}") from None
        if size == 0:
            break
        chunk = rfile.read(size)
        if len(chunk) != size or rfile.read(2) != b"\r\n":
            raise BadRequest("chunk shorter than its size")
        body += chunk
    while True:
        trailer = rfile.readline(65537)
        if trailer in (b"\r\n", b"\n"):
            return bytes(body)
        if not trailer.endswith(b"\n"):
            raise BadRequest("trailers not terminated")


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS + 15

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_request(self, *args: Any) -> None:
        pass

    def read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return read_chunked(self.rfile)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise BadRequest(f"invalid Content-Length {length!r}") from None
        body = self.rfile.read(size)
        if len(body) != size:
            raise BadRequest("body shorter than its Content-Length")
        return body

    def run_wsgi(self) -> None:
        # An Expect: 100-continue was answered by parse_request (HTTP/1.1).
        try:
            body = self.read_body()
        except BadRequest as error:
            self.close_connection = True
            self.respond("400 Bad Request", [("Content-Type", "text/plain")], [str(error).encode()])
            return
        environ = self.make_environ()
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ.pop("wsgi.input_terminated", None)
        state: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state["status"], state["headers"] = status, headers
            return lambda data: state.setdefault("written", []).append(data)

        try:
            result = self.server.app(environ, start_response)
            try:
                chunks = list(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
            chunks = state.get("written", []) + chunks
            status, headers = state["status"], state["headers"]
        except Exception:
            # As werkzeug's server does: a 500 and the traceback on stderr; the connection stays usable.
            print(f"Error on request {self.command} {self.path}:\n{traceback.format_exc()}", file=sys.stderr, flush=True)
            status, headers = "500 Internal Server Error", [("Content-Type", "text/plain")]
            chunks = [b"Internal Server Error: the local AWS (moto) failed on this request; see its log."]
        self.respond(status, headers, chunks)

    def respond(self, status: str, headers: list[tuple[str, str]], chunks: Iterable[bytes]) -> None:
        code = int(status.split(None, 1)[0])
        body = b"".join(chunks)
        lines = [f"{self.protocol_version} {status}\r\n"]
        names = set()
        for name, value in headers:
            lower = name.lower()
            if lower in HOP_BY_HOP:
                continue
            names.add(lower)
            lines.append(f"{name}: {value}\r\n")
        if "server" not in names:
            lines.append(f"Server: {self.version_string()}\r\n")
        if "date" not in names:
            lines.append(f"Date: {http_date()}\r\n")
        no_body = self.command == "HEAD" or code < 200 or code in (204, 304)
        if "content-length" not in names and not no_body:
            lines.append(f"Content-Length: {len(body)}\r\n")
        if self.close_connection:
            lines.append("Connection: close\r\n")
        else:
            lines.append(f"Keep-Alive: timeout={IDLE_SECONDS}\r\n")
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        if no_body:
            self.wfile.write(head)
        elif len(body) <= SMALL_BODY:
            self.wfile.write(head + body)
        else:
            self.wfile.write(head)
            self.wfile.write(body)
        self.wfile.flush()


_date: tuple[int, str] = (0, "")


def http_date() -> str:
    """The Date header, formatted once a second."""
    global _date
    now = int(time.time())
    if _date[0] != now:
        _date = (now, time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now)))
    return _date[1]


class MotoHttpServer(ThreadedWSGIServer):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(host, port, CachingDispatcher(create_backend_app), KeepAliveHandler)
