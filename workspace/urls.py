"""The pages that gather every forum."""

from django.urls import path

from workspace.views import case_page, dashboard, person_page

app_name = "workspace"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/<uuid:case_id>/", case_page.case_detail, name="case_detail"),
    path("people/<uuid:person_id>/", person_page.person_detail, name="person_detail"),
]
