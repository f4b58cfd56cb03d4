from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from content.models import ContentPiece, PhotoAnalysis, PieceRevision, VoiceMemo
from content.services import ATTRIBUTE_FIELDS


class PieceOutput(serializers.ModelSerializer):
    attributes = serializers.SerializerMethodField()
    is_offline_draft = serializers.BooleanField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="piece-detail")

    class Meta:
        model = ContentPiece
        fields = [
            "id",
            "url",
            "campaign",
            "channel",
            "status",
            "review_state",
            "approved_revision",
            "planned_for",
            "title",
            "body",
            "fields",
            "attributes",
            "provider",
            "model_name",
            "prompt_version",
            "is_offline_draft",
            "revision",
            "instruction",
            "error",
            "updated_at",
        ]

    def get_attributes(self, piece: ContentPiece) -> dict:
        return {name: getattr(piece, name) for name in ATTRIBUTE_FIELDS}


class RevisionOutput(serializers.ModelSerializer):
    class Meta:
        model = PieceRevision
        fields = [
            "number",
            "source",
            "title",
            "body",
            "fields",
            "template",
            "photo",
            "instruction",
            "restored_from",
            "author",
            "created_at",
        ]


def _absolute(request: Request | None, url: str) -> str:
    return request.build_absolute_uri(url) if request else url


class VoiceMemoOutput(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = VoiceMemo
        fields = [
            "id",
            "business",
            "status",
            "status_url",
            "mime_type",
            "duration_s",
            "transcript",
            "facts",
            "error",
            "created_at",
            "updated_at",
        ]

    def get_status_url(self, memo: VoiceMemo) -> str:
        return _absolute(self.context.get("request"), reverse("voice-memo-detail", args=[memo.pk]))


class PhotoAnalysisOutput(serializers.ModelSerializer):
    """``pending`` until the first description (or failure) is stored."""

    status = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)  # null: pending

    class Meta:
        model = PhotoAnalysis
        fields = [
            "photo",
            "status",
            "status_url",
            "description",
            "selling_points",
            "suggested_captions",
            "products",
            "error",
            "updated_at",
        ]

    def get_status(self, analysis: PhotoAnalysis) -> str:
        if analysis.error:
            return "failed"
        return "done" if analysis.description else "pending"

    def get_status_url(self, analysis: PhotoAnalysis) -> str:
        url = reverse("photo-analysis", args=[analysis.photo_id])
        return _absolute(self.context.get("request"), url)
