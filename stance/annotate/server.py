"""The annotation page's server: 127.0.0.1 only, a per-run secret token, writes safe from other sites.

* Every request carries the token (``?token=`` in the page's URL, the
  ``X-Stance-Token`` header on API calls), compared in constant time; without
  it the answer is 403 and nothing else is said.
* The ``Host`` header must name this server (127.0.0.1 or localhost and its
  port): a page on another site that rebinds its DNS name here is refused.
* Writes are ``POST`` with a JSON body and the token in a header: a form or
  a link on another site can send none of these without a CORS preflight,
  which this server never grants; an ``Origin`` other than this server's is
  refused too.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from ..errors import InputError
from ..reader import PAD
from .session import ActionError, Session

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Stance-Token"
MAX_BODY = 1 << 20
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the URL: never pass it on
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
}
log = logging.getLogger("stance")


class AnnotationServer(ThreadingHTTPServer):
    """Serves one ``Session``; actions are applied one at a time under a lock."""

    daemon_threads = True

    def __init__(self, session: Session, port: int = 0, token: str | None = None):
        self.session = session
        self.token = token or secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        self.page = resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}/?token={self.token}"

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.server_port}", f"localhost:{self.server_port}"}

    def state(self) -> dict:
        """What the page shows: the current claim in its article, progress, the label sets."""
        session = self.session
        current = session.current()
        return {"labels": session.labels, "progress": session.progress(), "can_undo": session.can_undo,
                "current": _claim_view(current, session.status.get(current.id)) if current else None,
                "article": _article_view(session, current.doc_id) if current else None}


def _claim_view(claim, status) -> dict:
    out = claim.to_json() | {"status": status or "open"}
    out["sentence_span"] = list(claim.sentence_span) if claim.sentence_span else None
    return out


def _article_view(session: Session, doc_id: str) -> dict:
    """The article's body paragraphs (offsets into its text) and where its claims stand."""
    article = session.articles[doc_id]
    view = article.document.view.replace(PAD, " ")
    claims = [session.drafts[i] for i in session.order if session.drafts[i].doc_id == doc_id]
    return {"doc_id": doc_id,
            "paragraphs": [[start, view[start:end]] for start, end in article.document.body],
            "claims": [{"id": c.id, "claim_span": list(c.claim_span), "status": session.status.get(c.id, "open")}
                       for c in claims if c.claim_span]}


class _Handler(BaseHTTPRequestHandler):
    server: AnnotationServer
    server_version = "stance-annotate"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        log.debug("annotate: " + format, *args)

    # -- checks -------------------------------------------------------------
    def _authorised(self, allow_query: bool) -> bool:
        if self.headers.get("Host", "") not in self.server.allowed_hosts():
            return False
        given = self.headers.get(TOKEN_HEADER, "")
        if not given and allow_query:
            given = (parse_qs(urlsplit(self.path).query).get("token") or [""])[0]
        return hmac.compare_digest(given.encode(), self.server.token.encode())

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is not None and origin.removeprefix("http://") not in self.server.allowed_hosts():
            return False
        return self.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")

    # -- answers ------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in SECURITY_HEADERS.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj: dict) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _forbidden(self) -> None:
        self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8")

    # -- methods --------------------------------------------------------------
    def do_GET(self):  # noqa: N802 - http.server's name
        if not self._authorised(allow_query=True):
            return self._forbidden()
        route = urlsplit(self.path).path
        if route == "/":
            return self._send(HTTPStatus.OK, self.server.page.encode(), "text/html; charset=utf-8")
        if route == "/api/state":
            with self.server.lock:
                return self._json(HTTPStatus.OK, self.server.state())
        return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    def do_POST(self):  # noqa: N802
        if not self._authorised(allow_query=False) or not self._same_origin():
            return self._forbidden()
        if urlsplit(self.path).path != "/api/action":
            return self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              {"error": "send JSON (Content-Type: application/json)"})
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "an action is a JSON body under 1 MiB"})
        try:
            action = json.loads(self.rfile.read(length))
        except ValueError:
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "the body is not JSON"})
        with self.server.lock:
            try:
                self.server.session.act(action)
            except ActionError as err:
                return self._json(HTTPStatus.BAD_REQUEST, {"error": str(err)} | self.server.state())
            except InputError as err:  # the gold file cannot be written (disk full, permissions)
                message = f"kept in the journal, but the gold file could not be written: {err}"
                return self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": message})
            return self._json(HTTPStatus.OK, self.server.state())

    def do_PUT(self):  # noqa: N802
        self._forbidden()

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT
