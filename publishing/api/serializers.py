"""What the publishing API answers: publications with their attempts, and channel accounts
without anything secret (tokens and passwords never leave the database)."""

from __future__ import annotations

from rest_framework import serializers

from publishing.models import ChannelAccount, Publication, PublishAttempt


class AttemptOutput(serializers.ModelSerializer):
    """One call to the platform: when, what for, and how it ended."""

    class Meta:
        model = PublishAttempt
        fields = [
            "number",
            "action",
            "started_at",
            "finished_at",
            "outcome",
            "response_status",
            "error",
            "duration_ms",
        ]


class PublicationOutput(serializers.ModelSerializer):
    business = serializers.IntegerField(source="piece.business_id", read_only=True)
    channel = serializers.CharField(source="piece.channel", read_only=True)

    class Meta:
        model = Publication
        fields = [
            "id",
            "business",
            "piece",
            "channel",
            "channel_account",
            "state",
            "state_changed_at",
            "scheduled_at",
            "next_attempt_at",
            "attempt_count",
            "published_at",
            "external_id",
            "permalink",
            "error_kind",
            "last_error",
            "created_at",
            "updated_at",
        ]


class PublicationDetailOutput(PublicationOutput):
    attempts = AttemptOutput(many=True, read_only=True)

    class Meta(PublicationOutput.Meta):
        fields = [*PublicationOutput.Meta.fields, "attempts"]


class ChannelAccountOutput(serializers.ModelSerializer):
    class Meta:
        model = ChannelAccount
        # Never access_token, refresh_token or api_password.
        fields = [
            "id",
            "business",
            "platform",
            "mode",
            "display_name",
            "external_id",
            "state",
            "state_reason",
            "state_changed_at",
            "token_expires_at",
            "scopes",
            "created_at",
            "updated_at",
        ]
