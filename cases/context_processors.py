"""Template context shared by every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from cases.models import Alert


def alerts(request: HttpRequest) -> dict:
    """``unread_alerts``: how many alerts the user can see are not yet acknowledged.

    Lazy: one COUNT query on a page that shows it, none on a page that does not (the admin)
    and none for an anonymous visitor.
    """

    def count() -> int:
        user = request.user
        if not user.is_authenticated:
            return 0
        return Alert.objects.visible_to(user).unacknowledged().count()

    return {"unread_alerts": SimpleLazyObject(count)}
