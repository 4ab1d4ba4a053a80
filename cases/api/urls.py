from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("detentions", views.DetentionViewSet, basename="detention")
router.register("cases", views.CaseViewSet, basename="case")
router.register("case-parties", views.CasePartyViewSet, basename="case-party")
router.register("case-access", views.CaseAccessViewSet, basename="case-access")
router.register(
    "extradition-requests", views.ExtraditionRequestViewSet, basename="extradition-request"
)
router.register(
    "extradition-decisions", views.ExtraditionDecisionViewSet, basename="extradition-decision"
)
router.register("notes", views.NoteViewSet, basename="note")

router.register("documents", views.DocumentViewSet, basename="document")
router.register("deadline-rules", views.DeadlineRuleViewSet, basename="deadline-rule")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("alerts", views.AlertViewSet, basename="alert")

urlpatterns = router.urls
