from rest_framework.routers import SimpleRouter

from rulings.api import views

router = SimpleRouter()
router.register("status-decisions", views.StatusDecisionViewSet, basename="status-decision")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("interim-measures", views.InterimMeasureViewSet, basename="interim-measure")
router.register(
    "committee-decisions", views.CommitteeDecisionViewSet, basename="committee-decision"
)

urlpatterns = router.urls
