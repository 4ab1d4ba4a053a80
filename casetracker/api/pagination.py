"""Pagination of every list (imported by DRF settings: keep it free of views)."""

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    """Stable pages under concurrent inserts; ``?page_size=`` up to 200."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-created_at"

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["next"]["description"] = "The URL of the next page, or null on the last."
        properties["previous"]["description"] = "The URL of the previous page, or null."
        properties["results"]["description"] = "This page's records."
        return response
