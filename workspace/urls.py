"""The pages that gather every forum."""

from django.urls import path

from workspace.views import access_log, anonymise, case_page, dashboard, merge, person_page

app_name = "workspace"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/<uuid:case_id>/", case_page.case_detail, name="case_detail"),
    path("people/<uuid:person_id>/", person_page.person_detail, name="person_detail"),
    path(
        "people/<uuid:person_id>/anonymise/",
        anonymise.PersonAnonymiseView.as_view(),
        name="person_anonymise",
    ),
    path(
        "people/<uuid:person_id>/merge/<uuid:merge_id>/",
        merge.PersonMergeView.as_view(),
        name="person_merge",
    ),
    path("access-log/", access_log.access_log, name="access_log"),
    path("access-log/export.csv", access_log.access_log_export, name="access_log_export"),
]
