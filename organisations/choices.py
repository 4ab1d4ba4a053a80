from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role in an organisation (Membership)."""

    ADMIN = "admin", _("admin")
    CASEWORKER = "caseworker", _("caseworker")
    VIEWER = "viewer", _("viewer")
