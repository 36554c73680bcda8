# Copied unchanged from Django 5.2.20 (tests/sessions_tests/no_clear_expired.py). BSD-3-Clause: see ../LICENSE.
from django.contrib.sessions.backends.base import SessionBase


class SessionStore(SessionBase):
    """Session store without support for clearing expired sessions."""

    pass
