"""Real HTTP peers for the SMS and web push tests, each an http.server in a thread on a free
port: an SMS gateway speaking the generic JSON API (bearer token, ``{to, text}`` → ``{id}``)
and a browser's push service (RFC 8030) that checks the VAPID header (RFC 8292) and decrypts
what it receives with the browser's keys (RFC 8291), as a browser would."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

SMS_TOKEN = "sms-gateway-token-for-tests"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass
class VapidKeys:
    """The city's key pair, as the environment carries it (base64url raw private key and
    uncompressed public point)."""

    private: str
    public: str

    @classmethod
    def generate(cls) -> VapidKeys:
        key = ec.generate_private_key(ec.SECP256R1())
        raw = key.private_numbers().private_value.to_bytes(32, "big")
        return cls(private=b64url(raw), public=b64url(_public_point(key)))


@dataclass
class Browser:
    """A browser's subscription keys: what ``PushSubscription.toJSON().keys`` holds."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: b"0123456789abcdef")

    @property
    def keys(self) -> dict[str, str]:
        return {"p256dh": b64url(_public_point(self.key)), "auth": b64url(self.auth)}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


def _serve(handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
        data = json.dumps(body or {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@dataclass
class SmsGatewayFake:
    """Texts taken, as ``(to, text)``; ``status`` other than 200 refuses every text."""

    url: str = ""
    sent: list[tuple[str, str]] = field(default_factory=list)
    refused: int = 0
    status: int = 200
    server: ThreadingHTTPServer | None = None

    def start(self) -> SmsGatewayFake:
        gateway = self

        class Handler(_Quiet):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != f"Bearer {SMS_TOKEN}":
                    gateway.refused += 1
                    self._answer(401, {"error": "bad token"})
                elif gateway.status != 200:
                    gateway.refused += 1
                    self._answer(gateway.status, {"error": {"message": "no credit left"}})
                else:
                    gateway.sent.append((body["to"], body["text"]))
                    self._answer(200, {"id": f"gw-{len(gateway.sent)}"})

        self.server, base = _serve(Handler)
        self.url = base + "/api/sms"
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def texts_to(self, phone: str) -> list[str]:
        return [text for to, text in self.sent if to == phone]


@dataclass
class PushServiceFake:
    """A push service: checks each request's VAPID JWT against ``vapid_public`` and keeps the
    decrypted messages per endpoint; ``gone`` endpoints answer ``gone_status``."""

    vapid_public: str
    subject: str
    base: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    gone_status: int = 410
    browsers: dict[str, Browser] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def start(self) -> PushServiceFake:
        service = self

        class Handler(_Quiet):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                endpoint = service.base + self.path
                service.headers.append({k.lower(): v for k, v in self.headers.items()})
                if not service.vapid_valid(self.headers.get("Authorization", "")):
                    self._answer(401)
                elif self.headers.get("Content-Encoding") != "aes128gcm":
                    self._answer(400)
                elif self.path in service.gone:
                    self._answer(service.gone_status)
                else:
                    message = service.browsers[endpoint].decrypt(body)
                    service.received.append({"endpoint": endpoint, **message})
                    self._answer(201)

        self.server, self.base = _serve(Handler)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def subscription(self, name: str) -> dict[str, Any]:
        """A new browser's subscription, as ``PushSubscription.toJSON()`` gives it."""
        endpoint = f"{self.base}/push/{name}"
        self.browsers[endpoint] = browser = Browser()
        return {"endpoint": endpoint, "keys": browser.keys}

    def vapid_valid(self, header: str) -> bool:
        """``vapid t=<JWT>, k=<public key>``: the key is the city's, the JWT is signed by it
        (ES256), names this service as audience and the city's contact as subject."""
        if not header.startswith("vapid "):
            return False
        parts = dict(part.strip().split("=", 1) for part in header[6:].split(","))
        if parts.get("k") != self.vapid_public:
            return False
        head, claims, signature = parts["t"].split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), unb64url(self.vapid_public)
        )
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            return False
        payload = json.loads(unb64url(claims))
        return bool(
            json.loads(unb64url(head)).get("alg") == "ES256"
            and payload.get("aud") == self.base
            and payload.get("sub") == self.subject
        )
