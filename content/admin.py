from typing import Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError as PydanticError

from content import approvals
from content.admin_imports import PostImportAdmin
from content.editing import checked_copy
from content.models import (
    Asset,
    ContentPiece,
    PhotoAnalysis,
    PieceRevision,
    QualityFinding,
    VoiceMemo,
)
from content.revisions import BUSY_REASON, PUBLISHED_REASON, PieceLocked, change_copy
from content.services import ATTRIBUTE_FIELDS, piece_regenerate, piece_render_enqueue, piece_retry
from content.transitions import EDITABLE
from marketing.tenant_admin import TenantAdmin, TenantInline


def asset_preview(asset: Asset) -> str:
    """A thumbnail for images, an inline player for videos and sound."""
    if not asset.file:
        return "—"
    if asset.kind == Asset.Kind.VIDEO:
        return format_html(
            '<video src="{}" controls preload="metadata" style="max-height:240px"></video>',
            asset.file.url,
        )
    if asset.kind == Asset.Kind.AUDIO:
        return format_html('<audio src="{}" controls preload="none"></audio>', asset.file.url)
    return format_html(
        '<a href="{0}" target="_blank"><img src="{0}" style="max-height:160px;max-width:200px" alt=""></a>',
        asset.file.url,
    )


class AssetInline(TenantInline):
    model = Asset
    readonly_fields = ("preview", "kind", "role", "width", "height", "duration_s", "size_bytes")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: ContentPiece | None = None) -> bool:
        return False

    @admin.display(description=_("미리보기"))
    def preview(self, asset: Asset) -> str:
        return asset_preview(asset)


QUALITY_FIELDS = (
    "created_at",
    "revision",
    "provider",
    "source",
    "rule",
    "severity",
    "field",
    "before",
    "after",
    "message",
)
FINDINGS_SHOWN = 50  # on a piece's page: the newest only, the full list has the rest


class NewestFindings(BaseInlineFormSet):
    """The piece's newest findings only: a piece rewritten many times keeps its page short."""

    def get_queryset(self) -> QuerySet[QualityFinding]:
        queryset = super().get_queryset()
        if not queryset.query.is_sliced:
            queryset = queryset[:FINDINGS_SHOWN]
            self._queryset = queryset
        return queryset


class QualityFindingInline(TenantInline):
    """What the copy quality gate found on this piece, read only, newest first."""

    model = QualityFinding
    formset = NewestFindings
    readonly_fields = QUALITY_FIELDS
    fields = QUALITY_FIELDS
    ordering = ("-created_at", "-pk")
    verbose_name_plural = _("품질 검사 결과 (최근 50건)")  # FINDINGS_SHOWN

    def has_add_permission(self, request: HttpRequest, obj: ContentPiece | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ContentPiece | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ContentPiece | None = None) -> bool:
        return False


# What a post says and shows: changed only as a new revision (content.revisions).
COPY = {"title", "body", "fields", "template", "photo", "note", *ATTRIBUTE_FIELDS}


@admin.register(ContentPiece)
class ContentPieceAdmin(PostImportAdmin, TenantAdmin):  # 가져오기: content.admin_imports
    list_display = [
        "thumbnail",
        "__str__",
        "business",
        "channel",
        "status",
        "render",
        "planned_for",
        "writer",
        "hook_style",
        "error_short",
    ]
    list_filter = [
        "channel",
        "status",
        "review_state",
        "provider",
        "hook_style",
        "business__organization",
    ]
    search_fields = ["title", "body", "business__name"]
    list_select_related = ["business"]
    inlines = [AssetInline, QualityFindingInline]
    actions = ["regenerate", "retry_failed", "send_for_approval", "approve_reviewed"]
    # Status moves go through content.transitions (the actions below), never a form.
    readonly_fields = [
        # What lists and posts show follows the channel's fields: edit those.
        "title",
        "body",
        "status",
        "error",
        "render_status",
        "render_progress",
        "render_error",
        "render_note",
        "provider",
        "model_name",
        "prompt_version",
        "seed",
        "revision",
        "instruction",
        # The approval flow moves through content.approvals (the actions below).
        "review_state",
        "approved_revision",
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: ContentPiece | None = None
    ) -> list[str] | tuple[str, ...]:
        if obj is not None and obj.status == ContentPiece.Status.PUBLISHED:
            # A published post is a record: nothing of it changes, here as anywhere.
            return [field.name for field in obj._meta.fields]
        return super().get_readonly_fields(request, obj)

    def get_form(
        self,
        request: HttpRequest,
        obj: ContentPiece | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        base = super().get_form(request, obj, change=change, **kwargs)

        class CheckedPieceForm(base):  # type: ignore[valid-type,misc]
            """The copy is checked as the owner's edits are: the channel's rules, the
            shop's own photo, a piece that can change now; title and body follow the
            fields (they are what is posted)."""

            derived: dict[str, Any] = {}

            def clean(self) -> dict[str, Any]:
                cleaned = super().clean()
                piece = self.instance
                if not piece.pk or not COPY & set(self.changed_data):
                    return cleaned
                if piece.status not in EDITABLE:
                    raise forms.ValidationError(BUSY_REASON)
                photo = cleaned.get("photo")
                if photo is not None and photo.business_id != piece.business_id:
                    self.add_error("photo", _("이 가게의 사진이 아닙니다."))
                fields = cleaned.get("fields")
                if isinstance(fields, dict) and fields != piece.fields:
                    try:
                        self.derived, problems = checked_copy(piece, fields)
                    except PydanticError:
                        self.add_error("fields", _("채널별 필드의 형식이 올바르지 않습니다."))
                    else:
                        for problem in problems:
                            self.add_error("fields", problem.message)
                return cleaned

        return CheckedPieceForm

    def save_model(
        self, request: HttpRequest, obj: ContentPiece, form: forms.ModelForm, change: bool
    ) -> None:
        """A change of the copy is a revision, through the gate every change passes (a
        scheduled piece is unscheduled and back in review; a published one refuses)."""
        copy = {name: form.cleaned_data[name] for name in form.changed_data if name in COPY}
        copy.update(getattr(form, "derived", {}))
        if not change or not copy:
            super().save_model(request, obj, form, change)
            return
        others = [name for name in form.changed_data if name not in COPY]
        try:
            change_copy(obj.pk, copy, source=PieceRevision.Source.EDIT, author=request.user)  # type: ignore[arg-type]
        except PieceLocked as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        if others:
            obj.save(update_fields=others)
        piece_render_enqueue(piece=obj)

    @admin.display(description=_("작성"), ordering="provider")
    def writer(self, piece: ContentPiece) -> str:
        if piece.is_offline_draft:
            return str(_("오프라인 초안"))
        return piece.model_name or piece.provider

    @admin.display(description=_("오류 사유"))
    def error_short(self, piece: ContentPiece) -> str:
        return (piece.error or piece.render_error)[:80]

    @admin.display(description=_("제작"))
    def render(self, piece: ContentPiece) -> str:
        if piece.render_status == "rendering":
            return f"{piece.get_render_status_display()} {piece.render_progress}%"
        return piece.get_render_status_display()

    @admin.display(description=_("미리보기"))
    def thumbnail(self, piece: ContentPiece) -> str:
        previews = [a for a in piece.assets.all() if a.kind == Asset.Kind.THUMBNAIL]
        if not previews:
            return "—"
        return format_html('<img src="{}" style="height:48px" alt="">', previews[0].file.url)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContentPiece]:
        return super().get_queryset(request).prefetch_related("assets")

    @admin.action(description=_("선택한 게시물 다시 쓰기"))
    def regenerate(self, request: HttpRequest, queryset: QuerySet[ContentPiece]) -> None:
        queued = 0
        for piece in queryset:
            try:
                piece_regenerate(piece=piece, actor=request.user)  # type: ignore[arg-type]
                queued += 1
            except PieceLocked as exc:
                self.message_user(request, f"{piece}: {exc.message}", messages.WARNING)
        self.message_user(request, _("%(count)s개 게시물을 다시 씁니다.") % {"count": queued})

    def has_delete_permission(self, request: HttpRequest, obj: ContentPiece | None = None) -> bool:
        if obj is not None and obj.status == ContentPiece.Status.PUBLISHED:
            return False  # a published post is a record
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ContentPiece]) -> None:
        published = queryset.filter(status=ContentPiece.Status.PUBLISHED)
        if published.exists():
            self.message_user(request, PUBLISHED_REASON, messages.ERROR)
        super().delete_queryset(request, queryset.exclude(pk__in=published.values("pk")))

    @admin.action(description=_("선택한 게시물 승인 요청 보내기"))
    def send_for_approval(self, request: HttpRequest, queryset: QuerySet[ContentPiece]) -> None:
        pieces = queryset.select_related("business__organization")
        outcome = approvals.submit_many(pieces, actor=request.user)  # type: ignore[arg-type]
        self._report(request, outcome, _("%(count)s개 게시물의 승인을 요청했습니다."))

    @admin.action(description=_("선택한 게시물 승인 (매니저)"))
    def approve_reviewed(self, request: HttpRequest, queryset: QuerySet[ContentPiece]) -> None:
        outcome = approvals.Outcome()
        for piece in queryset.select_related("business__organization"):
            try:
                approvals.approve(piece, actor=request.user)  # type: ignore[arg-type]
            except approvals.ApprovalRefused as exc:
                outcome.skipped.append((piece, exc.message))
            else:
                outcome.done.append(piece)
        self._report(request, outcome, _("%(count)s개 게시물을 승인했습니다."))

    def _report(self, request: HttpRequest, outcome: approvals.Outcome, done: Any) -> None:
        self.message_user(request, done % {"count": len(outcome.done)})
        for piece, reason in outcome.skipped:
            self.message_user(request, f"{piece}: {reason}", messages.WARNING)

    @admin.action(description=_("실패한 게시물 다시 시도"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[ContentPiece]) -> None:
        failed = list(queryset.filter(status=ContentPiece.Status.FAILED))
        for piece in failed:
            piece_retry(piece=piece)
        self.message_user(
            request, _("%(count)s개 게시물을 다시 시도합니다.") % {"count": len(failed)}
        )

    fieldsets = (
        (
            None,
            {
                "fields": (
                    "business",
                    "campaign",
                    "channel",
                    "status",
                    ("review_state", "approved_revision"),
                    "planned_for",
                    "error",
                )
            },
        ),
        (
            _("이미지·영상"),
            {"fields": ("render_status", "render_progress", "render_error", "render_note")},
        ),
        (_("내용"), {"fields": ("title", "body", "fields")}),
        (
            _("크리에이티브 속성"),
            {
                "fields": (
                    ("hook_style", "tone", "length_bucket"),
                    ("emoji_density", "hashtag_count", "call_to_action"),
                    ("format", "template", "offer_type"),
                )
            },
        ),
        (
            _("작성 정보"),
            {
                "fields": (
                    "provider",
                    "model_name",
                    "prompt_version",
                    "seed",
                    "revision",
                    "instruction",
                )
            },
        ),
    )


@admin.register(Asset)
class AssetAdmin(TenantAdmin):
    list_display = [
        "preview",
        "__str__",
        "business",
        "piece",
        "kind",
        "role",
        "width",
        "height",
        "size_bytes",
    ]

    @admin.display(description=_("미리보기"))
    def preview(self, asset: Asset) -> str:
        return asset_preview(asset)

    list_filter = ["kind"]
    search_fields = ["file", "checksum", "business__name"]
    list_select_related = ["business", "piece"]


@admin.register(PhotoAnalysis)
class PhotoAnalysisAdmin(TenantAdmin):
    add_role = None
    list_display = ["photo", "description", "created_at"]
    readonly_fields = ["photo", "description", "selling_points", "suggested_captions", "error"]


@admin.register(VoiceMemo)
class VoiceMemoAdmin(TenantAdmin):
    list_display = ["__str__", "business", "status", "duration_s", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["mime_type", "duration_s", "status", "transcript", "facts", "error"]


class RuleRow(TypedDict):
    rule: str
    label: str
    counts: list[int]  # one per engine, in the summary's order
    total: int


class QualitySummary(TypedDict):
    providers: list[str]
    rows: list[RuleRow]
    totals: list[int]  # per engine
    total: int


def findings_by_provider(queryset: QuerySet[QualityFinding]) -> QualitySummary:
    """How often each rule fired per writing engine, in one query: rules as rows (the most
    frequent first), engines as columns, with totals."""
    counts: dict[str, dict[str, int]] = {}
    grouped = queryset.order_by().values("rule", "provider").annotate(count=Count("pk"))
    for row in grouped:
        counts.setdefault(row["rule"], {})[row["provider"]] = row["count"]
    providers = sorted({provider for by_provider in counts.values() for provider in by_provider})
    labels = {value: str(label) for value, label in QualityFinding.Rule.choices}
    rows: list[RuleRow] = [
        {
            "rule": rule,
            "label": labels.get(rule, rule),
            "counts": [by_provider.get(provider, 0) for provider in providers],
            "total": sum(by_provider.values()),
        }
        for rule, by_provider in counts.items()
    ]
    rows.sort(key=lambda row: (-row["total"], row["rule"]))
    return {
        "providers": [provider or "—" for provider in providers],
        "rows": rows,
        "totals": [sum(row["counts"][i] for row in rows) for i in range(len(providers))],
        "total": sum(row["total"] for row in rows),
    }


@admin.register(QualityFinding)
class QualityFindingAdmin(TenantAdmin):
    """What the copy quality gate (content.quality) found, read only; written by the gate.
    The table above the list counts each rule per engine over the filtered rows, so the
    prompts and phrase banks are improved where the gate fires most."""

    add_role = None
    list_display = [
        "created_at",
        "piece_link",
        "provider",
        "rule",
        "severity",
        "field",
        "before",
        "after",
    ]
    list_filter = ["provider", "rule", "severity", "source", "created_at"]
    search_fields = ["before", "after", "message"]
    list_select_related = ["piece"]
    readonly_fields = ["piece", *QUALITY_FIELDS]

    @admin.display(description=_("콘텐츠"), ordering="piece")
    def piece_link(self, finding: QualityFinding) -> str:
        url = reverse("admin:content_contentpiece_change", args=[finding.piece_id])
        return format_html('<a href="{}">{}</a>', url, finding.piece)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        # The summary counts what the list shows: its filters, search and tenant scope.
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            context["quality_summary"] = findings_by_provider(context["cl"].queryset)
        return response

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: QualityFinding | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: QualityFinding | None = None
    ) -> bool:
        return False
