from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import metadata

if TYPE_CHECKING:  # DRF imports this module while it defines APIView
    from rest_framework.request import Request
    from rest_framework.views import APIView


class Metadata(metadata.SimpleMetadata):
    """OPTIONS names the view and its formats; the OpenAPI schema describes the inputs
    (DRF's guess at them needs a serializer_class most of our views do not have)."""

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }
