"""One Django configuration for every Django test in this process (Django
is configured once per process): the sealed engine and its middleware, an
in-memory database that no test queries, the upstream session tests' app,
and the views of djangoviews.py. Tests change settings with
override_settings."""

from __future__ import annotations

import pathlib
import sys

import pytest

django = pytest.importorskip("django")

from conftest import SECRET_A  # noqa: E402

UPSTREAM = pathlib.Path(__file__).resolve().parent / "django_upstream"
#: The Django release whose tests/sessions_tests is copied in django_upstream/.
UPSTREAM_VERSION = "5.2.20"


def setup() -> None:
    from django.conf import settings

    if settings.configured:
        return
    if str(UPSTREAM) not in sys.path:
        sys.path.insert(0, str(UPSTREAM))
    settings.configure(
        DEBUG=False,
        # Django's own signing key (the upstream tests' encode/decode, and the
        # signed_cookies engine the migration tests start from); public.
        SECRET_KEY="django-test-secret-key-PUBLIC-never-use-0123456789",
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "sessions_tests",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        SESSION_ENGINE="cookieseal.django",
        MIDDLEWARE=["cookieseal.django.SessionMiddleware"],
        ROOT_URLCONF="djangoviews",
        COOKIESEAL_SECRETS=[SECRET_A],
        ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
