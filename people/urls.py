"""Browser pages of the people app."""

from django.urls import path  # noqa: F401  (the page modules add their routes here)

app_name = "people"

urlpatterns: list = []
