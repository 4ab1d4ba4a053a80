"""Sentences stored now and read later, each reader in their own language.

An alert is raised once (by a worker, or in a Russian-speaking caseworker's request) and read
by many people, in English and in Russian. It keeps its English text for e-mail, the API and
the admin, and the sentence's catalogue ids with the values that fill them, so that each page
shows it in its reader's language.

``stored_text`` and ``stored_plural`` are also xgettext keywords (see
casetracker/management/commands/makemessages.py), so their literal ids reach the catalogue.
A value may itself be a StoredText (a rule's title, a choice's label): it is translated too.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class StoredText:
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    plural: str = ""
    count: int = 0

    def render(self) -> str:
        """The sentence in the active language."""
        text = ngettext(self.msgid, self.plural, self.count) if self.plural else gettext(self.msgid)
        values = {
            name: value.render() if isinstance(value, StoredText) else value
            for name, value in self.params.items()
        }
        return text % values if values else text

    def render_stored(self) -> str:
        """The sentence in the site's language, the one kept in the database."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.render()

    def to_json(self) -> dict[str, Any]:
        params = {
            name: {"text": value.to_json()} if isinstance(value, StoredText) else value
            for name, value in self.params.items()
        }
        data: dict[str, Any] = {"msgid": self.msgid, "params": params}
        if self.plural:
            data |= {"plural": self.plural, "count": self.count}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "StoredText":
        params = {
            name: cls.from_json(value["text"])
            if isinstance(value, dict) and "text" in value
            else value
            for name, value in data.get("params", {}).items()
        }
        return cls(
            msgid=data["msgid"],
            params=params,
            plural=data.get("plural", ""),
            count=data.get("count", 0),
        )


def stored_text(msgid: str, **params: Any) -> StoredText:
    return StoredText(msgid=msgid, params=params)


def stored_plural(singular: str, plural: str, count: int, **params: Any) -> StoredText:
    return StoredText(msgid=singular, params=params, plural=plural, count=count)
