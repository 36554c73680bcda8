"""Smoke test of an installed cookieseal (a wheel or an sdist in a fresh
venv, .ci/run block "python/django"): it imports from site-packages, not
from a checkout, seals and opens, and its three integrations import and
build. Usage: python smoke.py (exit 0 when all is well)."""

from __future__ import annotations

import os
import pathlib
import sysconfig

import cookieseal

site = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
where = pathlib.Path(cookieseal.__file__).resolve()
assert site in where.parents, f"cookieseal imported from {where}, not from {site}"
assert (where.parent / "py.typed").is_file(), "py.typed is missing"

secret = cookieseal.generate_secret()
codec = cookieseal.Codec([secret])
value = codec.seal("session", {"user": 42})
assert codec.open("session", value) == {"user": 42}

import cookieseal.flask  # noqa: E402
import cookieseal.starlette  # noqa: E402
from flask import Flask  # noqa: E402

app = Flask("smoke")
app.config["COOKIESEAL_SECRETS"] = [secret]
cookieseal.flask.install(app)

os.environ["COOKIESEAL_SECRETS"] = secret
from django.conf import settings  # noqa: E402

settings.configure(SESSION_ENGINE="cookieseal.django", SECRET_KEY="smoke-test-django-key-PUBLIC-never-use")
import django  # noqa: E402

django.setup()
from cookieseal.django import SessionStore, get_layer  # noqa: E402

s = SessionStore()
s["user"] = 42
s.save()
assert SessionStore(s.session_key)["user"] == 42
assert get_layer().codec.key_ids == codec.key_ids
print(f"cookieseal {cookieseal.__version__} from {where.parent}: ok")
