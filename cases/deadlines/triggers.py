"""The records whose dates start deadlines (``DeadlineRule.trigger_model``), by label.

The deadline engine lives in ``cases``, but most triggers are rulings' records (a complaint's
transmission, a committee's decision): each app registers its own trigger models at start-up
(its ``AppConfig.ready``), so ``cases`` names none of the models above it (issue #9, item 4).
"""

from django.db import models

_triggers: dict[str, type[models.Model]] = {}


def deadline_triggers_register(*trigger_models: type[models.Model]) -> None:
    """Let the dates of ``trigger_models``' records start deadlines."""
    for model in trigger_models:
        _triggers[model._meta.label_lower] = model


def trigger_models() -> dict[str, type[models.Model]]:
    """Every registered trigger model by its label, such as ``rulings.complaint``."""
    return dict(_triggers)


def is_trigger(model: type[models.Model]) -> bool:
    return model._meta.label_lower in _triggers


def trigger_model_choices() -> list[tuple[str, str]]:
    """The choices of ``DeadlineRule.trigger_model``: every registered model's label and name,
    in the order the apps registered them."""
    return [(label, model._meta.verbose_name) for label, model in _triggers.items()]
