from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CasetrackerConfig(AppConfig):
    name = "casetracker"
    verbose_name = "Casetracker"

    def ready(self) -> None:
        from casetracker import checks, signals  # noqa: F401  (registers checks and receivers)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with Casetracker's site: who may enter it (casetracker/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; the module's default is CasetrackerConfig
    default_site = "casetracker.admin_site.AdminSite"
