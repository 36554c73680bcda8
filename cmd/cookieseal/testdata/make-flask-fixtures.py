# Makes the Flask session cookies in this folder with Flask's own session
# serializer (Flask 3.1.3, itsdangerous 2.2.0), under a throwaway secret key
# that is not kept. Run from this folder: python3 make-flask-fixtures.py
import secrets

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

app = Flask("fixture")
app.secret_key = secrets.token_hex(32)
s = SecureCookieSessionInterface().get_signing_serializer(app)
small = s.dumps({"user_id": 42, "username": "alice", "role": "admin"})
big = s.dumps({"user_id": 42, "username": "alice", "cart": ["sku-%04d" % i for i in range(60)]})
assert not small.startswith(".") and big.startswith("."), "expected one plain and one compressed cookie"
open("flask-session.txt", "w").write(small + "\n")
open("flask-session-compressed.txt", "w").write(big + "\n")
