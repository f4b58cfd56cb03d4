"""Who uses Gagecast and what they market: users, organizations, businesses."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.uploads import AUDIO_EXTENSIONS, validate_background_music, validate_photo
from marketing.industries import INDUSTRY_CHOICES, industry_for

hex_color = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("#RRGGBB 형식의 색상 코드를 입력해 주세요."))


def music_path(business: Business, filename: str) -> str:
    """Each organization's music in its own folder, under a name nobody can guess (the
    owner's own file name is not kept)."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in AUDIO_EXTENSIONS else ""
    return f"music/{business.organization_id}/{uuid.uuid4().hex}{suffix}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """People log in with their e-mail address; there is no separate username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("이메일"), unique=True)
    name = models.CharField(_("이름"), max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # the stubs type AbstractUser.objects as auth's own UserManager

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def __str__(self) -> str:
        return self.email


class Plan(models.Model):
    """A price plan; the monthly piece quota is checked before any generation call."""

    code = models.SlugField(_("코드"), unique=True)
    name = models.CharField(_("이름"), max_length=50)
    monthly_piece_quota = models.PositiveIntegerField(
        _("월 생성 한도(개)"), null=True, blank=True, help_text=_("비워 두면 무제한")
    )
    price_krw = models.PositiveIntegerField(_("월 요금(원)"), default=0)
    # Limits beside the piece quota (marketing.limits checks them); blank is no limit.
    max_channels = models.PositiveIntegerField(
        _("사업장당 연결 채널 한도"), null=True, blank=True, help_text=_("비워 두면 무제한")
    )
    max_seats = models.PositiveIntegerField(
        _("멤버 한도(명)"), null=True, blank=True, help_text=_("비워 두면 무제한")
    )
    max_businesses = models.PositiveIntegerField(
        _("사업장(고객사) 한도"), null=True, blank=True, help_text=_("비워 두면 무제한")
    )

    class Meta:
        verbose_name = _("요금제")
        verbose_name_plural = _("요금제")
        ordering = ["price_krw"]

    def __str__(self) -> str:
        return self.name


class Organization(TimeStampedModel):
    """A single shop or an agency; the unit of tenancy. Nobody sees another's data."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("단일 매장")
        AGENCY = "agency", _("대행사")

    tenant_path: ClassVar[str] = ""

    name = models.CharField(_("이름"), max_length=120)
    kind = models.CharField(_("유형"), max_length=10, choices=Kind.choices, default=Kind.SHOP)
    plan = models.ForeignKey(
        Plan, verbose_name=_("요금제"), null=True, blank=True, on_delete=models.PROTECT
    )
    generation_provider = models.CharField(
        _("글 작성 엔진"),
        max_length=10,
        blank=True,
        choices=[("gemini", "Gemini"), ("offline", _("오프라인 작성기"))],
        help_text=_("비워 두면 서버 설정을 따릅니다 (Gemini 키가 있으면 Gemini)."),
    )

    class Approval(models.TextChoices):
        OFF = "off", _("사용 안 함 (예약하면 승인)")
        INTERNAL = "internal", _("내부 승인 (매니저)")
        CLIENT = "client", _("내부 승인 + 고객 승인")

    approval_mode = models.CharField(
        _("승인 절차"),
        max_length=10,
        choices=Approval.choices,
        default=Approval.OFF,
        help_text=_("승인된 버전만 예약할 수 있어요. 사용 안 함이면 예약하는 것이 곧 승인이에요."),
    )
    members: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        verbose_name = _("조직")
        verbose_name_plural = _("조직")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("소유자")
        MANAGER = "manager", _("매니저")
        STAFF = "staff", _("스태프")
        CLIENT = "client", _("고객 (보기 전용)")

    tenant_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("역할"), max_length=10, choices=Role.choices, default=Role.STAFF)
    # A client viewer sees this one shop of the agency, read only.
    business = models.ForeignKey(
        "Business",
        verbose_name=_("보는 사업장"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="client_memberships",
        help_text=_("고객 역할만: 이 사업장만 볼 수 있어요."),
    )

    class Meta:
        verbose_name = _("멤버십")
        verbose_name_plural = _("멤버십")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class Business(TimeStampedModel):
    """A shop as its owner describes it: everything generation needs to sound like the shop."""

    class PriceRange(models.TextChoices):
        BUDGET = "budget", _("저렴한 편")
        MODERATE = "moderate", _("보통")
        PREMIUM = "premium", _("고급")

    class SetupStep(models.TextChoices):
        PHOTOS = "photos", _("사진")
        MENU = "menu", _("메뉴·강점")
        CHANNELS = "channels", _("채널")
        CAMPAIGN = "campaign", _("첫 캠페인")
        DONE = "done", _("완료")

    class Tone(models.TextChoices):
        FRIENDLY = "friendly", _("친근하고 따뜻하게")
        PLAYFUL = "playful", _("발랄하고 재치 있게")
        CALM = "calm", _("차분하고 감성적으로")
        PROFESSIONAL = "professional", _("전문적이고 신뢰감 있게")
        PREMIUM = "premium", _("고급스럽고 절제되게")

    tenant_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="businesses"
    )
    name = models.CharField(_("상호"), max_length=120)
    industry = models.CharField(_("업종"), max_length=40, choices=INDUSTRY_CHOICES)
    description = models.TextField(_("소개"), blank=True)
    area = models.CharField(
        _("동네"), max_length=120, help_text=_("예: 서울 마포구 연남동"), blank=False
    )
    address = models.CharField(_("주소"), max_length=255, blank=True)
    latitude = models.DecimalField(_("위도"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("경도"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("매장 전화번호"), max_length=30, blank=True)
    opening_hours = models.TextField(
        _("영업시간"), blank=True, help_text=_("예: 매일 10:00–21:00, 월요일 휴무")
    )
    price_range = models.CharField(
        _("가격대"), max_length=10, choices=PriceRange.choices, default=PriceRange.MODERATE
    )
    target_customers = models.TextField(_("주요 고객"), blank=True)
    tone = models.CharField(_("말투"), max_length=20, choices=Tone.choices, default=Tone.FRIENDLY)
    selling_points = models.JSONField(_("강점"), default=list, blank=True)
    brand_primary_color = models.CharField(
        _("대표 색상"), max_length=7, default="#2F4858", validators=[hex_color]
    )
    brand_secondary_color = models.CharField(
        _("보조 색상"), max_length=7, default="#F6AE2D", validators=[hex_color]
    )
    logo = models.ImageField(_("로고"), upload_to="logos/%Y/%m/", blank=True)
    background_music = models.FileField(
        _("배경 음악"),
        upload_to=music_path,
        blank=True,
        validators=[validate_background_music],
        help_text=_(
            "영상에 깔리는 음악이에요 (m4a, mp3, wav, 10분 이내). 내레이션이 나오는 동안에는 소리가 작아져요. 저작권 걱정 없는 곡만 올려 주세요."
        ),
    )
    links = models.JSONField(
        _("링크"), default=dict, blank=True, help_text=_('예: {"instagram": "https://…"}')
    )
    time_zone = models.CharField(_("시간대"), max_length=64, default="Asia/Seoul")
    # Where the owner is in the first-run wizard; "done" for a shop set up another way.
    setup_step = models.CharField(
        _("시작 설정 단계"), max_length=12, choices=SetupStep.choices, default=SetupStep.DONE
    )
    # The Monday report by e-mail (analytics.reports); the owner may turn it off.
    weekly_report = models.BooleanField(
        _("주간 리포트 메일"),
        default=True,
        help_text=_("매주 월요일 오전 9시에 지난주 결과를 메일로 보내 드려요."),
    )
    # An import's own key for this shop (bulk import matches a re-import by it).
    import_key = models.CharField(_("가져오기 키"), max_length=100, blank=True)
    # Paused: nothing is scheduled or published until resumed. Archived: hidden, its
    # publishing stopped, its data kept; erased for good after erase_after, if set.
    paused_at = models.DateTimeField(_("일시 중지"), null=True, blank=True)
    archived_at = models.DateTimeField(_("보관함으로 옮긴 시각"), null=True, blank=True)
    erase_after = models.DateTimeField(_("완전 삭제 예정"), null=True, blank=True)

    class Meta:
        verbose_name = _("사업장")
        verbose_name_plural = _("사업장")
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "import_key"],
                condition=~models.Q(import_key=""),
                name="business_import_key",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def industry_family(self) -> str:
        return industry_for(self.industry).family


class Product(TimeStampedModel):
    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        Business, verbose_name=_("사업장"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("이름"), max_length=120)
    price = models.PositiveIntegerField(_("가격(원)"), null=True, blank=True)
    description = models.TextField(_("설명"), blank=True)
    photo = models.ImageField(
        _("사진"), upload_to="products/%Y/%m/", blank=True, validators=[validate_photo]
    )
    is_signature = models.BooleanField(_("대표 메뉴"), default=False)
    is_active = models.BooleanField(_("판매 중"), default=True)
    sort_order = models.PositiveIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("상품·메뉴")
        verbose_name_plural = _("상품·메뉴")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Photo(TimeStampedModel):
    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        Business, verbose_name=_("사업장"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("사진"), upload_to="photos/%Y/%m/", validators=[validate_photo])
    caption = models.CharField(_("설명"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("가로(px)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("세로(px)"), null=True, blank=True, editable=False)
    # SHA-256 of the file as it was given: an import of the same profile finds it again.
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("사진")
        verbose_name_plural = _("사진 보관함")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class UsageRecord(models.Model):
    """One metered unit of work (an LLM call, a generated piece, a render, a publish)."""

    class Kind(models.TextChoices):
        PIECE = "piece", _("콘텐츠 생성")
        LLM_CALL = "llm_call", _("AI 호출")
        RENDER = "render", _("이미지·영상 제작")
        PUBLISH = "publish", _("게시")

    tenant_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="usage"
    )
    business = models.ForeignKey(
        Business, verbose_name=_("사업장"), null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("종류"), max_length=20, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("수량"), default=1, validators=[MinValueValidator(1)])
    model_name = models.CharField(_("모델"), max_length=80, blank=True)
    input_tokens = models.PositiveIntegerField(_("입력 토큰"), default=0)
    output_tokens = models.PositiveIntegerField(_("출력 토큰"), default=0)
    cost_usd = models.DecimalField(_("예상 비용(USD)"), max_digits=10, decimal_places=6, default=0)
    created_at = models.DateTimeField(_("시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("사용량")
        verbose_name_plural = _("사용량")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.quantity}"


class MarketSnapshot(models.Model):
    """What SEMAS said about a business's surroundings at one moment (or that it could not).

    Rows are kept: the newest "ok" row is the cache; failures sit beside it with their error.
    """

    class Status(models.TextChoices):
        OK = "ok", _("정상")
        UNAVAILABLE = "unavailable", _("불러오지 못함")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        Business,
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="market_snapshots",
    )
    fetched_at = models.DateTimeField(_("조회 시각"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices)
    competitors_500m = models.PositiveIntegerField(_("500m 안 같은 업종"), null=True, blank=True)
    competitors_1km = models.PositiveIntegerField(_("1km 안 같은 업종"), null=True, blank=True)
    neighbours = models.JSONField(
        _("주변에 많은 업종"),
        default=list,
        blank=True,
        help_text=_('예: [{"name": "한식", "count": 42}]'),
    )
    local_keywords = models.JSONField(_("지역 키워드"), default=list, blank=True)
    store_count = models.PositiveIntegerField(_("1km 안 점포 수"), null=True, blank=True)
    error = models.TextField(_("오류"), blank=True)

    class Meta:
        verbose_name = _("상권 정보")
        verbose_name_plural = _("상권 정보")
        ordering = ["-fetched_at"]
        indexes = [models.Index(fields=["business", "status", "-fetched_at"])]

    def __str__(self) -> str:
        return f"{self.business} · {self.fetched_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class AuditEvent(models.Model):
    """Who did what, when: approvals, scheduling, archive and erase, token use, role
    changes. Kept when the business it names is erased (its name stays in the summary)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("승인 요청")
        APPROVED = "approved", _("승인")
        CHANGES_REQUESTED = "changes_requested", _("수정 요청")
        CLIENT_LINK = "client_link", _("고객 승인 링크")
        SCHEDULED = "scheduled", _("예약")
        UNSCHEDULED = "unscheduled", _("예약 취소")
        PAUSED = "paused", _("일시 중지")
        RESUMED = "resumed", _("다시 시작")
        ARCHIVED = "archived", _("보관")
        RESTORED = "restored", _("보관 해제")
        ERASE_REQUESTED = "erase_requested", _("삭제 예약")
        ERASE_CANCELED = "erase_canceled", _("삭제 취소")
        ERASED = "erased", _("완전 삭제")
        TOKEN_CREATED = "token_created", _("API 토큰 발급")
        TOKEN_USED = "token_used", _("API 토큰 사용")
        ROLE_CHANGED = "role_changed", _("역할 변경")
        IMPORTED = "imported", _("가져오기")
        SETTINGS_CHANGED = "settings_changed", _("설정 변경")

    tenant_path: ClassVar[str] = "organization"

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="audit"
    )
    business = models.ForeignKey(
        Business,
        verbose_name=_("사업장"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who acted when there is no account: the client's name on an approval link.
    actor_name = models.CharField(_("한 사람 (계정 없음)"), max_length=120, blank=True)
    action = models.CharField(_("한 일"), max_length=30, choices=Action.choices)
    summary = models.CharField(_("내용"), max_length=300)
    detail = models.JSONField(_("자세히"), default=dict, blank=True)
    created_at = models.DateTimeField(_("시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("활동 기록")
        verbose_name_plural = _("활동 기록")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.summary
