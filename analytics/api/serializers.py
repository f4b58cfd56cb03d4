"""What the metrics and learning API answers: read-only shapes of stored rows and of
``analytics.selectors.Learned``, and the owner's feedback on a piece."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analytics.models import Collection, Feedback, MetricSnapshot
from content.models import ContentPiece
from publishing.models import Publication


class SnapshotOutput(serializers.ModelSerializer):
    """A publication's counters as read once (null: the platform did not report it)."""

    class Meta:
        model = MetricSnapshot
        fields = [
            "collected_at",
            "source",
            "views",
            "reach",
            "likes",
            "comments",
            "saves",
            "shares",
            "reposts",
            "quotes",
        ]


class CollectionOutput(serializers.ModelSerializer):
    class Meta:
        model = Collection
        fields = ["state", "next_collect_at", "last_collected_at", "reason"]


class PublicationMetricsOutput(serializers.ModelSerializer):
    """A publication's numbers: the latest reading and every reading, oldest first."""

    channel = serializers.CharField(source="piece.channel", read_only=True)
    latest = serializers.SerializerMethodField()
    snapshots = serializers.SerializerMethodField()
    collection = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id",
            "piece",
            "channel",
            "state",
            "scheduled_at",
            "published_at",
            "permalink",
            "collection",
            "latest",
            "snapshots",
        ]

    def _history(self, publication: Publication) -> list[MetricSnapshot]:
        # Prefetched oldest first by the views (``snapshot_history``).
        return list(publication.metric_snapshots.all())

    @extend_schema_field(SnapshotOutput(allow_null=True))
    def get_latest(self, publication: Publication) -> dict | None:
        history = self._history(publication)
        return SnapshotOutput(history[-1]).data if history else None

    @extend_schema_field(SnapshotOutput(many=True))
    def get_snapshots(self, publication: Publication) -> list[dict]:
        return list(SnapshotOutput(self._history(publication), many=True).data)

    @extend_schema_field(CollectionOutput(allow_null=True))
    def get_collection(self, publication: Publication) -> dict | None:
        collection = getattr(publication, "collection", None)
        return CollectionOutput(collection).data if collection else None


class PieceLearningOutput(serializers.Serializer):
    """Why the piece was written and timed as it was (``ContentPiece.learning``)."""

    note = serializers.CharField(source="learning_note")
    summary = serializers.CharField(source="learning_summary")
    explored = serializers.BooleanField(source="learning_explored")
    posting_time_source = serializers.CharField(
        help_text='"learned", "default", or "" when the learning loop did not pick the time.'
    )


class PieceMetricsOutput(serializers.ModelSerializer):
    learning = PieceLearningOutput(source="*")
    publications = PublicationMetricsOutput(many=True)

    class Meta:
        model = ContentPiece
        fields = ["id", "channel", "learning", "publications"]


class LearnedOutput(serializers.Serializer):
    """What has been learned for a business on one channel."""

    channel = serializers.CharField()
    evidence = serializers.IntegerField(help_text="Measured posts the learning rests on.")
    findings = serializers.ListField(child=serializers.CharField())
    best = serializers.DictField(
        child=serializers.CharField(), help_text="Each dimension's best value so far."
    )
    best_labels = serializers.ListField(child=serializers.CharField())
    uses_learned_times = serializers.BooleanField()
    learned_times_after = serializers.IntegerField(
        help_text="Measured posts needed before the posting times follow the shop's numbers."
    )


class BusinessLearnedOutput(serializers.Serializer):
    business = serializers.IntegerField()
    learning_enabled = serializers.BooleanField()
    channels = LearnedOutput(many=True)


class FeedbackOutput(serializers.ModelSerializer):
    """A 👍/👎 with its comment, how its sentiment was judged (``offline`` at first; ``gemini``
    once the model has read the comment, when the organization writes with Gemini) and
    the operator alert's state."""

    class Meta:
        model = Feedback
        fields = [
            "id",
            "piece",
            "rating",
            "comment",
            "sentiment",
            "judged_by",
            "alert_state",
            "created_at",
            "updated_at",
        ]
