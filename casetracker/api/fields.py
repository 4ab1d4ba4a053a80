"""Serializer fields shared by every app's API."""

from rest_framework import serializers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A relation by UUID that accepts only records the requesting user may see: another
    organisation's case is "does not exist" here, exactly as at its own URL."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return queryset.visible_to(request.user)
