"""The case timeline's answer: every dated event of one case across all forums."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workspace.selectors import TIMELINE_FORUMS


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("The day of the event."))
    forum = serializers.ChoiceField(
        choices=TIMELINE_FORUMS, help_text=_("Where the event happened.")
    )
    kind = serializers.CharField(
        help_text=_(
            "What happened, within the forum: e.g. started/ended (detention), "
            "request_received/surrendered/decision/decision_served (extradition), "
            "applied/decided/notified (refugee_status), submitted/registered/transmitted/"
            "state_reply/comments_due (complaint), requested/granted/reaffirmed/lifted "
            "(interim_measure), adopted/transmitted/follow_up_reply (committee), note, due "
            "(deadline)."
        )
    )
    title = serializers.CharField(help_text=_("The event in words, for a person to read."))
    record_type = serializers.CharField(
        help_text=_("The record the event comes from, as app.model, e.g. cases.detention.")
    )
    record_id = serializers.UUIDField(help_text=_("The record's UUID."))
    person_id = serializers.UUIDField(
        allow_null=True, help_text=_("The person the event concerns (UUID); null for the case.")
    )


class TimelineSerializer(serializers.Serializer):
    case = serializers.UUIDField(help_text=_("The case (UUID)."))
    count = serializers.IntegerField(help_text=_("The number of entries."))
    results = TimelineEntrySerializer(
        many=True, help_text=_("Every entry of the case, oldest first, in one answer.")
    )
