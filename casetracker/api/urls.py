"""/api/v1/: one flat router per app (DESIGN §7), included by name so that casetracker imports
no app."""

from django.urls import include, path

urlpatterns = [
    path("", include("people.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("rulings.api.urls")),
    path("", include("workspace.api.urls")),
]
