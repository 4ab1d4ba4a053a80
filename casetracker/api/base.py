"""What every endpoint shares, written once (DESIGN §7, STYLE.md "thin concrete classes").

* Reads are scoped: ``get_queryset`` is the model's ``visible_to(user)``; anything else is 404.
* Writes call the app's services through ``create_record``/``update_record``/``delete_record``;
  serializers only validate and shape.
* Every read carries an ``ETag`` (a hash of the representation the user gets). A write with
  ``If-Match`` that does not match the current representation answers 412 and changes
  nothing; a write without ``If-Match`` is accepted.
* A service's ValidationError becomes a 400 naming each field; PermissionDenied a 403.
"""

import hashlib
import json
from typing import Any

from django.db import models, transaction
from rest_framework import exceptions, viewsets
from rest_framework.response import Response

from casetracker.api.errors import PreconditionFailed

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def etag_of(data: Any) -> str:
    body = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:40]}"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    candidates = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in candidates


class ScopedViewSet(viewsets.ModelViewSet):
    """The base of every resource. Subclasses declare ``queryset``, ``serializer_class``,
    ``filterset_class`` and the service calls."""

    lookup_value_regex = "[0-9a-fA-F-]{36}"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().visible_to(self.request.user)

    # --- the services -------------------------------------------------------------------

    def create_record(self, data: dict[str, Any]) -> models.Model:
        raise exceptions.MethodNotAllowed(self.request.method)

    def update_record(self, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise exceptions.MethodNotAllowed(self.request.method)

    def delete_record(self, instance: models.Model) -> None:
        raise exceptions.MethodNotAllowed(self.request.method)

    def perform_create(self, serializer) -> None:
        serializer.instance = self.create_record(dict(serializer.validated_data))

    def perform_update(self, serializer) -> None:
        instance = serializer.instance
        changes = {
            name: value
            for name, value in serializer.validated_data.items()
            if getattr(instance, name, object()) != value
        }
        serializer.instance = self.update_record(instance, changes) if changes else instance

    def perform_destroy(self, instance) -> None:
        self.delete_record(instance)

    # --- one transaction per write, and If-Match -----------------------------------------

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().create(request, *args, **kwargs)
        return self._with_etag(response)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            response = super().update(request, *args, **kwargs)
        return self._with_etag(response)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def get_object(self) -> models.Model:
        obj = super().get_object()
        if self.request.method in UNSAFE_METHODS:
            # Lock the row so that no other write slips between the check and this one.
            type(obj)._base_manager.select_for_update().filter(pk=obj.pk).first()
            header = self.request.headers.get("If-Match")
            if header and not _matches(header, etag_of(self.get_serializer(obj).data)):
                raise PreconditionFailed()
        return obj

    def verb(self, serializer_class, service) -> Response:
        """A domain verb on one record (``POST /detentions/{id}/end/``): validate the body with
        ``serializer_class``, honour If-Match, call ``service(instance, data)`` in one
        transaction, answer with the record."""
        body = serializer_class(data=self.request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            instance = service(self.get_object(), dict(body.validated_data))
        return self._with_etag(Response(self.get_serializer(instance).data))

    # --- ETags on reads ------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        return self._with_etag(super().retrieve(request, *args, **kwargs))

    def list(self, request, *args, **kwargs):
        return self._with_etag(super().list(request, *args, **kwargs))

    def _with_etag(self, response: Response) -> Response:
        if response.status_code < 300 and response.data is not None:
            response["ETag"] = etag_of(response.data)
        return response


class ReadOnlyScopedViewSet(ScopedViewSet):
    http_method_names = ["get", "head", "options"]
