"""The forms of the rulings app (its pages of records are the workspace's case page)."""

from django.urls import path

from rulings.views import forms

app_name = "rulings"

# Forms on rulings (through rulings/services.py).
urlpatterns = [
    path(
        "cases/<uuid:case_id>/status-decisions/new/",
        forms.StatusDecisionCreate.as_view(),
        name="status_decision_create",
    ),
    path(
        "status-decisions/<uuid:decision_id>/edit/",
        forms.StatusDecisionUpdate.as_view(),
        name="status_decision_update",
    ),
    path(
        "cases/<uuid:case_id>/complaints/new/",
        forms.ComplaintCreate.as_view(),
        name="complaint_create",
    ),
    path(
        "complaints/<uuid:complaint_id>/edit/",
        forms.ComplaintUpdate.as_view(),
        name="complaint_update",
    ),
    path(
        "complaints/<uuid:complaint_id>/interim-measures/new/",
        forms.InterimMeasureCreate.as_view(),
        name="interim_measure_create",
    ),
    path(
        "interim-measures/<uuid:measure_id>/edit/",
        forms.InterimMeasureUpdate.as_view(),
        name="interim_measure_update",
    ),
    path(
        "interim-measures/<uuid:measure_id>/lift/",
        forms.InterimMeasureLift.as_view(),
        name="interim_measure_lift",
    ),
    path(
        "complaints/<uuid:complaint_id>/decisions/new/",
        forms.CommitteeDecisionCreate.as_view(),
        name="committee_decision_create",
    ),
    path(
        "committee-decisions/<uuid:decision_id>/edit/",
        forms.CommitteeDecisionUpdate.as_view(),
        name="committee_decision_update",
    ),
]
