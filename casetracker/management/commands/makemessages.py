"""Django's makemessages, also collecting the ids of sentences stored for later reading
(casetracker/i18n.py). Django documents subclassing the command to add xgettext keywords."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=stored_text:1",
        "--keyword=stored_plural:1,2",
    ]
