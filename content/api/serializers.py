from rest_framework import serializers

from content.models import ContentPiece
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
