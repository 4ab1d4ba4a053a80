"""Browser pages of the rulings app."""

from django.urls import path  # noqa: F401  (the page modules add their routes here)

app_name = "rulings"

urlpatterns: list = []
