from django.apps import AppConfig


class CasetrackerConfig(AppConfig):
    name = "casetracker"
    verbose_name = "Casetracker"

    def ready(self) -> None:
        from casetracker import checks, signals  # noqa: F401  (registers checks and receivers)
