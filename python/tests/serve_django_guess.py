"""Serve examples/django_guess on 127.0.0.1 with a seeded random, for the
browser test: prints the port, then serves until killed (Django's WSGI
application under the standard library's threaded WSGI server).
Usage: serve_django_guess.py SEED"""

from __future__ import annotations

import os
import pathlib
import random
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "django_guess"
sys.path.insert(0, str(EXAMPLE))
os.environ["DJANGO_SETTINGS_MODULE"] = "guess_site.settings"

from guess_site.wsgi import application  # noqa: E402


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


random.seed(int(sys.argv[1]))
server = make_server("127.0.0.1", 0, application, server_class=Server, handler_class=Quiet)
print(server.server_port, flush=True)
server.serve_forever()
