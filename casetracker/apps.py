from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CasetrackerConfig(AppConfig):
    name = "casetracker"
    verbose_name = "Casetracker"

    def ready(self) -> None:
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from casetracker import checks, sessions, signals  # noqa: F401  (checks and receivers)

        # A device's secret is nobody's to read, a platform operator's neither: members reset
        # their own on the account page, organisation admins through the memberships' action.
        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with Casetracker's site: who may enter it (casetracker/admin_site.py)."""

    default = False  # named in INSTALLED_APPS; the module's default is CasetrackerConfig
    default_site = "casetracker.admin_site.AdminSite"
