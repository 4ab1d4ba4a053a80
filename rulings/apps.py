from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulingsConfig(AppConfig):
    name = "rulings"
    verbose_name = _("Rulings")

    def ready(self) -> None:
        from cases.signals import record_written
        from rulings.alerts import on_record_written

        record_written.connect(on_record_written, dispatch_uid="rulings.alerts")
