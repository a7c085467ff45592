"""Local fakes of Zalo's OA API and Meta's Graph API: real HTTP servers in a thread, speaking
the platforms' documented JSON and checking the access token as they do. They record what
CityOps sent and serve a photo, as a platform's CDN serves what a citizen sent."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

ZALO_TOKEN = "zalo-oa-token-for-tests"
META_TOKEN = "meta-page-token-for-tests"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class Platform:
    """What the fake was sent: ``(recipient, text)`` per accepted message, in order."""

    url: str = ""
    sent: list[tuple[str, str]] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)
    photo: bytes = field(default_factory=jpeg_bytes)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts_to(self, recipient: str) -> list[str]:
        with self.lock:
            return [text for who, text in self.sent if who == recipient]


def _handler(platform: Platform) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path.startswith("/cdn/photo.jpg"):
                self._answer(200, platform.photo, "image/jpeg")
            elif self.path.startswith("/cdn/huge.jpg"):
                self._answer(200, b"\xff\xd8\xff" + b"0" * (12 * 1024 * 1024), "image/jpeg")
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            parts = urlsplit(self.path)
            if parts.path == "/v3.0/oa/message/cs":
                self._zalo(body)
            elif parts.path == "/v19.0/me/messages":
                token = parse_qs(parts.query).get("access_token", [""])[0]
                self._meta(body, token)
            else:
                self._answer(404, {"error": "not found"})

        def _zalo(self, body: dict[str, Any]) -> None:
            # Zalo answers 200 with an error code inside, as its API does.
            if self.headers.get("access_token") != ZALO_TOKEN:
                platform.refused.append(body)
                self._answer(200, {"error": -216, "message": "Access token is invalid"})
                return
            user_id = body["recipient"]["user_id"]
            with platform.lock:
                platform.sent.append((user_id, body["message"]["text"]))
                number = len(platform.sent)
            self._answer(
                200,
                {"data": {"message_id": f"zmsg-{number}", "user_id": user_id}, "error": 0,
                 "message": "Success"},
            )  # fmt: skip

        def _meta(self, body: dict[str, Any], token: str) -> None:
            if token != META_TOKEN:
                platform.refused.append(body)
                error = {"message": "Invalid OAuth access token.", "type": "OAuthException",
                         "code": 190}  # fmt: skip
                self._answer(400, {"error": error})
                return
            recipient = body["recipient"]["id"]
            with platform.lock:
                platform.sent.append((recipient, body["message"]["text"]))
                number = len(platform.sent)
            self._answer(200, {"recipient_id": recipient, "message_id": f"m_{number}"})

    return Handler


class FakePlatforms:
    """Both platforms on one free port; ``stop()`` ends the thread."""

    def __init__(self) -> None:
        self.platform = Platform()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.platform))
        self.server.daemon_threads = True
        self.platform.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
