"""Settings of the guess example: a stock Django project but for the two
session lines marked below."""

import os
import pathlib

from django.core.management.utils import get_random_secret_key

BASE_DIR = pathlib.Path(__file__).resolve().parent

# Django's own signing key (password reset tokens, signing.dumps, ...). The
# session does not use it: cookieseal seals with COOKIESEAL_SECRETS. The
# demo makes one at start; a real project reads it from its environment.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cookieseal.django.SessionMiddleware",  # cookieseal: in place of django.contrib.sessions.middleware.SessionMiddleware
    "django.middleware.common.CommonMiddleware",
]
SESSION_ENGINE = "cookieseal.django"  # cookieseal: the session is a sealed cookie
# COOKIESEAL_SECRETS is read from the environment variable of that name; there
# is no default, and without it the project does not start.

ROOT_URLCONF = "guess_site.urls"
WSGI_APPLICATION = "guess_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
    }
]
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
