from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.contrib import admin

        from cases.access import admin_entry_allowed

        # The admin site (casetracker/admin_site.py) knows no roles: the access model says
        # who may enter it.
        admin.site.allow_entry(admin_entry_allowed)
