"""Serve examples/guess on 127.0.0.1 with a seeded random, for the browser
test: prints the port, then serves until killed. Usage: serve_guess.py SEED"""

from __future__ import annotations

import random
import sys

from werkzeug.serving import make_server

from guessapp import load_guess_app

random.seed(int(sys.argv[1]))
server = make_server("127.0.0.1", 0, load_guess_app().app, threaded=False)
print(server.server_port, flush=True)
server.serve_forever()
