from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from content.channels import Channel
from core.models import TimeStampedModel


class RenderStatus(models.TextChoices):
    NONE = "none", _("제작 안 함")
    QUEUED = "queued", _("제작 대기")
    RENDERING = "rendering", _("제작 중")
    DONE = "done", _("제작 완료")
    FAILED = "failed", _("제작 실패")


class ReviewState(models.TextChoices):
    """Where a piece's newest revision stands in the organization's approval flow
    (content.approvals); ``status`` says where its writing and publishing stand."""

    DRAFT = "draft", _("작성됨")
    IN_REVIEW = "in_review", _("내부 검토 중")
    CLIENT_REVIEW = "client_review", _("고객 검토 중")
    CHANGES_REQUESTED = "changes_requested", _("수정 요청됨")
    APPROVED = "approved", _("승인됨")


class ContentPiece(TimeStampedModel):
    """One post for one channel: its structured fields and the creative choices it embodies."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기")
        GENERATING = "generating", _("생성 중")
        READY = "ready", _("검토 대기")
        FAILED = "failed", _("실패")
        APPROVED = "approved", _("승인됨")
        PUBLISHED = "published", _("게시됨")
        ARCHIVED = "archived", _("보관됨")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="pieces",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("캠페인"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pieces",
    )
    channel = models.CharField(_("채널"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    title = models.CharField(_("제목"), max_length=200, blank=True)
    body = models.TextField(_("본문"), blank=True)
    fields = models.JSONField(_("채널별 필드"), default=dict, blank=True)
    planned_for = models.DateTimeField(_("게시 예정"), null=True, blank=True)
    # A single post outside any campaign is written from the owner's one line.
    note = models.CharField(_("사장님 한 줄"), max_length=200, blank=True)
    # The photo the owner picked to lead this piece's images (else the best fit is chosen).
    photo = models.ForeignKey(
        "marketing.Photo",
        verbose_name=_("고른 사진"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Creative attributes: what the learning loop attributes results to.
    hook_style = models.CharField(_("후킹 방식"), max_length=30, blank=True)
    tone = models.CharField(_("말투"), max_length=30, blank=True)
    length_bucket = models.CharField(_("길이"), max_length=20, blank=True)
    emoji_density = models.CharField(_("이모지 밀도"), max_length=20, blank=True)
    hashtag_count = models.PositiveSmallIntegerField(_("해시태그 수"), default=0)
    call_to_action = models.CharField(_("행동 유도"), max_length=30, blank=True)
    format = models.CharField(_("형식"), max_length=20, blank=True)
    template = models.CharField(_("템플릿"), max_length=40, blank=True)
    offer_type = models.CharField(_("혜택 유형"), max_length=30, blank=True)
    # The learning loop's decision for this piece: the posting slot and the attributes
    # it chose, their probabilities, what was explored, the note the owner sees.
    learning = models.JSONField(_("학습 결정"), default=dict, blank=True)
    # Provenance.
    seed = models.PositiveIntegerField(_("변주 번호"), default=0)
    revision = models.PositiveSmallIntegerField(_("수정 횟수"), default=0)
    instruction = models.CharField(_("마지막 수정 요청"), max_length=300, blank=True)
    provider = models.CharField(_("작성 엔진"), max_length=20, blank=True)
    model_name = models.CharField(_("모델"), max_length=80, blank=True)
    prompt_version = models.CharField(_("프롬프트 버전"), max_length=40, blank=True)
    error = models.TextField(_("오류 사유"), blank=True)
    # Creative rendering (images, video) after the copy is written.
    render_status = models.CharField(
        _("제작 상태"), max_length=12, choices=RenderStatus.choices, default=RenderStatus.NONE
    )
    render_progress = models.PositiveSmallIntegerField(_("제작 진행률(%)"), default=0)
    render_error = models.TextField(_("제작 오류 사유"), blank=True)
    render_note = models.TextField(
        _("제작 참고 사항"),
        blank=True,
        help_text=_("제작은 끝났지만 알아 두실 점 (예: 내레이션 없이 만든 영상)"),
    )
    # The approval flow: the newest revision's review state, and the revision approved.
    review_state = models.CharField(
        _("승인 상태"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    approved_revision = models.PositiveIntegerField(_("승인된 버전"), null=True, blank=True)
    # A ready-made post's key in an import file (a re-import matches it).
    import_key = models.CharField(_("가져오기 키"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("콘텐츠")
        verbose_name_plural = _("콘텐츠")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["business", "channel", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "import_key"],
                condition=~models.Q(import_key=""),
                name="piece_import_key",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_channel_display()} #{self.pk}"

    @property
    def is_offline_draft(self) -> bool:
        """Written by the offline writer (no Gemini key): shown as an offline draft."""
        return self.provider == "offline"

    # --- What the owner sees of ``learning`` (any key may be missing: old pieces, learning
    # switched off, a piece not written yet). Read from the stored JSON only.

    def _learned(self, key: str) -> object:
        return self.learning.get(key) if isinstance(self.learning, dict) else None

    def _slot(self) -> dict:
        slot = self._learned("slot")
        return slot if isinstance(slot, dict) else {}

    @property
    def learning_note(self) -> str:
        """ "이번 글은 새로운 시도예요" or "반응이 좋았던 방식이에요"; "" when none was
        decided."""
        note = self._learned("note")
        return note.strip() if isinstance(note, str) else ""

    @property
    def learning_explored(self) -> bool:
        """Whether any choice for this piece (an attribute or its time) was a new try."""
        return bool(self._learned("explored")) or bool(self._slot().get("explored"))

    @property
    def learning_summary(self) -> str:
        summary = self._learned("summary")
        return summary.strip() if isinstance(summary, str) else ""

    @property
    def posting_time_source(self) -> str:
        """ "learned" (a time the shop's numbers chose), "default" (the channel's usual
        hours), or "" when the piece's time was not decided by the learning loop."""
        source = self._slot().get("source")
        return source if source in ("learned", "default") else ""

    @property
    def posting_time_explored(self) -> bool:
        return bool(self._slot().get("explored"))


class PieceRevision(models.Model):
    """One version of a piece's copy, kept for good: every writing, rewrite, hand edit,
    swap and restore adds one, and any of them can be restored."""

    class Source(models.TextChoices):
        GENERATED = "generated", _("처음 작성")
        REWRITE = "rewrite", _("다시 쓰기")
        EDIT = "edit", _("직접 수정")
        SWAP = "swap", _("사진·템플릿 바꾸기")
        RESTORE = "restore", _("이전 버전 복원")
        IMPORT = "import", _("가져오기")

    tenant_path: ClassVar[str] = "piece__business__organization"

    piece = models.ForeignKey(
        ContentPiece, verbose_name=_("콘텐츠"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("버전"))
    source = models.CharField(_("만든 방법"), max_length=12, choices=Source.choices)
    title = models.CharField(_("제목"), max_length=200, blank=True)
    body = models.TextField(_("본문"), blank=True)
    fields = models.JSONField(_("채널별 필드"), default=dict, blank=True)
    template = models.CharField(_("템플릿"), max_length=40, blank=True)
    hashtag_count = models.PositiveSmallIntegerField(_("해시태그 수"), default=0)
    photo = models.ForeignKey(
        "marketing.Photo",
        verbose_name=_("고른 사진"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    instruction = models.CharField(_("수정 요청"), max_length=300, blank=True)
    restored_from = models.PositiveIntegerField(_("복원한 버전"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수정한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("콘텐츠 버전")
        verbose_name_plural = _("콘텐츠 버전")
        ordering = ["piece_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["piece", "number"], name="piece_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.piece_id} v{self.number}"


class QualityFinding(models.Model):
    """One finding of the copy quality gate (content.quality) on a version of a piece: the
    rule, the words before and after, and how it ended. Counted per provider in the admin
    so the prompts and phrase banks are improved where the gate fires most."""

    class Rule(models.TextChoices):
        PARTICLE = "particle", _("조사가 앞말과 맞지 않음")
        MARKER = "marker", _("풀리지 않은 조사 표시")
        SPACING = "spacing", _("단위 띄어쓰기")
        REGISTER = "register", _("말투(해요체·합쇼체)가 섞임")
        INVENTED_FACT = "invented_fact", _("가게 정보에 없는 숫자")
        CLICHE = "cliche", _("상투적인 광고 문구")
        TRANSLATIONESE = "translationese", _("번역투 표현")
        REPETITION = "repetition", _("캠페인의 다른 글과 같은 문장")
        EMOJI = "emoji", _("이모지 양이 설정과 다름")

    class Severity(models.TextChoices):
        REPAIRED = "repaired", _("자동 교정")
        REWRITTEN = "rewritten", _("다시 쓰게 함")
        WARNING = "warning", _("경고")
        ERROR = "error", _("실패")

    class Source(models.TextChoices):
        WRITER = "writer", _("AI 작성")
        EDIT = "edit", _("직접 수정")
        IMPORT = "import", _("가져오기")

    tenant_path: ClassVar[str] = "piece__business__organization"

    piece = models.ForeignKey(
        ContentPiece,
        verbose_name=_("콘텐츠"),
        on_delete=models.CASCADE,
        related_name="quality_findings",
    )
    revision = models.PositiveIntegerField(_("버전"), null=True, blank=True)
    provider = models.CharField(_("작성 엔진"), max_length=40, blank=True, db_index=True)
    source = models.CharField(_("출처"), max_length=10, choices=Source.choices)
    rule = models.CharField(_("규칙"), max_length=20, choices=Rule.choices, db_index=True)
    severity = models.CharField(_("결과"), max_length=10, choices=Severity.choices)
    field = models.CharField(_("항목"), max_length=80, blank=True)
    before = models.CharField(_("고치기 전"), max_length=500, blank=True)
    after = models.CharField(_("고친 뒤"), max_length=500, blank=True)
    message = models.CharField(_("내용"), max_length=500)
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("품질 검사 결과")
        verbose_name_plural = _("품질 검사 결과")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["provider", "rule"], name="quality_provider_rule")]

    def __str__(self) -> str:
        return f"{self.piece_id} {self.rule} ({self.severity})"


class Asset(TimeStampedModel):
    """A rendered or uploaded media file attached to a piece."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("이미지")
        VIDEO = "video", _("영상")
        THUMBNAIL = "thumbnail", _("썸네일")
        COVER = "cover", _("커버")
        AUDIO = "audio", _("오디오")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="assets",
    )
    piece = models.ForeignKey(
        ContentPiece,
        verbose_name=_("콘텐츠"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assets",
    )
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("파일"), upload_to="assets/%Y/%m/")
    mime_type = models.CharField(_("MIME 유형"), max_length=80, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("크기(바이트)"), default=0)
    width = models.PositiveIntegerField(_("가로(px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("세로(px)"), null=True, blank=True)
    duration_s = models.FloatField(_("길이(초)"), null=True, blank=True)
    checksum = models.CharField(_("체크섬(SHA-256)"), max_length=64, blank=True, db_index=True)
    source_key = models.CharField(
        _("입력 지문"), max_length=64, blank=True, db_index=True,
        help_text=_("같은 입력이면 같은 파일: 다시 만들지 않고 재사용합니다."),
    )  # fmt: skip
    role = models.CharField(_("용도"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("미디어 파일")
        verbose_name_plural = _("미디어 파일")
        ordering = ["piece_id", "position"]

    def __str__(self) -> str:
        return self.file.name


class PhotoAnalysis(TimeStampedModel):
    """What Gemini sees in one of the shop's photos: a description and captions."""

    tenant_path: ClassVar[str] = "photo__business__organization"

    photo = models.OneToOneField(
        "marketing.Photo", verbose_name=_("사진"), on_delete=models.CASCADE, related_name="analysis"
    )
    description = models.TextField(_("사진 설명"), blank=True)
    selling_points = models.JSONField(_("강점"), default=list, blank=True)
    suggested_captions = models.JSONField(_("추천 캡션"), default=list, blank=True)
    products = models.JSONField(_("사진 속 메뉴·상품"), default=list, blank=True)
    error = models.TextField(_("오류 사유"), blank=True)

    class Meta:
        verbose_name = _("사진 분석")
        verbose_name_plural = _("사진 분석")

    def __str__(self) -> str:
        return self.description[:40] or str(self.photo)


class VoiceMemo(TimeStampedModel):
    """An owner's spoken brief: the audio, its transcript and the facts taken from it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="voice_memos",
    )
    audio = models.FileField(_("음성 파일"), upload_to="voice/%Y/%m/")
    mime_type = models.CharField(_("MIME 유형"), max_length=40)
    duration_s = models.FloatField(_("길이(초)"))
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    transcript = models.TextField(_("받아쓰기"), blank=True)
    facts = models.JSONField(_("추출한 내용"), default=dict, blank=True)
    error = models.TextField(_("오류 사유"), blank=True)

    class Meta:
        verbose_name = _("음성 메모")
        verbose_name_plural = _("음성 메모")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.transcript[:40] or self.audio.name


class ClientLink(TimeStampedModel):
    """A signed, expiring, revocable link a client opens without an account to approve
    or ask for changes: a campaign's pieces, or a batch of pieces sent together."""

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="client_links",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("캠페인"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="client_links",
    )
    pieces = models.ManyToManyField(ContentPiece, verbose_name=_("콘텐츠"), blank=True)
    # The part the signed token carries; the row says whether it still holds.
    key = models.UUIDField(_("링크 키"), unique=True, editable=False)
    label = models.CharField(_("이름"), max_length=120, blank=True)
    expires_at = models.DateTimeField(_("만료 시각"))
    revoked_at = models.DateTimeField(_("취소한 시각"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("마지막으로 연 시각"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("만든 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("고객 승인 링크")
        verbose_name_plural = _("고객 승인 링크")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"{self.business} #{self.pk}"


class ReviewNote(models.Model):
    """One step of the approval flow or a comment, on a piece (at a revision) or on a
    whole campaign: who (a member, or a client by name through a link) and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("승인 요청")
        APPROVED = "approved", _("승인")
        SENT_TO_CLIENT = "sent_to_client", _("고객에게 보냄")
        CLIENT_APPROVED = "client_approved", _("고객 승인")
        CHANGES_REQUESTED = "changes_requested", _("수정 요청")
        COMMENT = "comment", _("의견")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="review_notes",
    )
    piece = models.ForeignKey(
        ContentPiece,
        verbose_name=_("콘텐츠"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_notes",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("캠페인"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_notes",
    )
    revision = models.PositiveIntegerField(_("버전"), null=True, blank=True)
    action = models.CharField(_("단계"), max_length=20, choices=Action.choices)
    comment = models.TextField(_("의견"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("작성자 (고객)"), max_length=120, blank=True)
    link = models.ForeignKey(
        ClientLink,
        verbose_name=_("고객 승인 링크"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
    )
    created_at = models.DateTimeField(_("시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("검토 기록")
        verbose_name_plural = _("검토 기록")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.author or self.author_name}"
