"""An empty URL configuration; tests that need views set ROOT_URLCONF to
their own module."""

urlpatterns: list[object] = []
