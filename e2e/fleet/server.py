"""The Python member of the fleet test (../fleet_test.go): sessions in the
cookie "session" through cookieseal's SessionLayer, a revocation list in
Redis shared with the Go and Node members, secrets from a Kubernetes-style
secrets directory polled every 100 ms. Needs cookieseal and redis-py.

    SECRETS_FILE=... REDIS_PORT=... CACHE_MS=500 python e2e/fleet/server.py
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

import cookieseal
from cookieseal._session import SessionLayer
from cookieseal.redis import RedisRevocations

path = os.environ["SECRETS_FILE"]
codec = cookieseal.Codec(cookieseal.read_secrets_file(path), max_age=3600)
reloader = cookieseal.SecretsReloader(codec, path)
reloader.start(0.1)
client = redis.Redis(
    host="127.0.0.1", port=int(os.environ["REDIS_PORT"]), socket_timeout=0.2, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0)
)
revocations = RedisRevocations(client, cache_ttl=int(os.environ["CACHE_MS"]) / 1000)
layer = SessionLayer(codec, name="session", insecure=True, revocations=revocations)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def reply(self, status: int, body: dict[str, Any], cookies: list[str] = ()) -> None:  # type: ignore[assignment]
        data = json.dumps({"server": "python", **body}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for c in cookies:
            self.send_header("Set-Cookie", c)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.handle_request()

    def do_POST(self) -> None:
        self.handle_request()

    def handle_request(self) -> None:
        url = urlparse(self.path)
        header = "; ".join(self.headers.get_all("Cookie") or [])
        try:
            if url.path == "/health":
                return self.reply(200, {})
            read = layer.read(header)
            if url.path == "/login":
                user = parse_qs(url.query)["user"][0]
                out = layer.save(read, {"user": user}, changed=True, renew=True, subject=user)
                return self.reply(200, {"user": user}, [layer.render(c, codec.max_age) for c in out])
            if read.outcome != "ok":
                return self.reply(401, {"error": read.outcome})
            assert read.info is not None
            if url.path == "/me":
                out = layer.save(read, read.data, changed=False)  # a due re-issue only
                info = read.info
                return self.reply(200, {"user": read.data["user"], "sid": info.session_id, "subject": info.subject}, [layer.render(c, codec.max_age) for c in out])
            if url.path in ("/logout", "/logout-all"):
                if url.path == "/logout":
                    layer.revoke(read.info)
                else:
                    layer.revoke_subject(read.info.subject)
                out = layer.save(read, {}, changed=True, emptied=True)
                return self.reply(200, {}, [layer.render(c, codec.max_age) for c in out])
            self.reply(404, {})
        except Exception as e:  # a failed revocation write: Redis is down
            self.reply(503, {"error": type(e).__name__})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
sys.stdout.flush()
server.serve_forever()
