from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketing.models import (
    Business,
    MarketSnapshot,
    Membership,
    Organization,
    Photo,
    Plan,
    Product,
    UsageRecord,
    User,
)
from marketing.selectors import signed_in_user
from marketing.services import membership_change_refusal, photo_cleaned
from marketing.tenant_admin import TenantAdmin, TenantInline


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        (
            _("권한"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("기록"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "monthly_piece_quota", "price_krw"]

    def has_view_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return request.user.is_staff

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff


class MembershipInline(TenantInline):
    model = Membership
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(TenantAdmin):
    write_role = Membership.Role.OWNER
    delete_role = Membership.Role.OWNER
    add_role = None
    list_display = ["name", "kind", "plan", "business_count", "created_at"]
    list_filter = ["kind", "plan"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_business_count=Count("businesses"))

    @admin.display(description=_("사업장 수"), ordering="_business_count")
    def business_count(self, organization: Organization) -> int:
        return organization._business_count  # type: ignore[attr-defined]


class MembershipForm(forms.ModelForm):
    actor: User  # set on the form class by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ["organization", "user", "role"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organization = cleaned.get("organization") or self.instance_organization()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        if organization and user and cleaned.get("role"):
            refusal = membership_change_refusal(
                organization=organization, user=user, role=cleaned["role"], actor=self.actor
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned

    def instance_organization(self) -> Organization | None:
        return self.instance.organization if self.instance.organization_id else None


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    form = MembershipForm
    write_role = Membership.Role.MANAGER
    add_role = Membership.Role.MANAGER
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "organization"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        # A membership's person and organization are fixed; only the role changes.
        return ["organization", "user"] if obj is not None else []

    def get_form(
        self,
        request: HttpRequest,
        obj: Membership | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[MembershipForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        assert issubclass(form, MembershipForm)  # the admin builds it from self.form
        form.actor = signed_in_user(request.user)
        return form


class ProductInline(TenantInline):
    model = Product
    fields = ["name", "price", "description", "is_signature", "is_active", "sort_order", "photo"]


@admin.register(Business)
class BusinessAdmin(TenantAdmin):
    list_display = ["name", "organization", "industry", "area", "tone", "updated_at"]
    list_filter = ["industry", "tone", "price_range", "organization"]
    search_fields = ["name", "area", "address", "organization__name"]
    list_select_related = ["organization"]
    inlines = [ProductInline]

    fieldsets = (
        (None, {"fields": ("organization", "name", "industry", "description")}),
        (
            _("위치와 영업"),
            {
                "fields": (
                    "area",
                    "address",
                    ("latitude", "longitude"),
                    "phone",
                    "opening_hours",
                    "time_zone",
                )
            },
        ),
        (
            _("고객과 브랜드"),
            {
                "fields": (
                    "price_range",
                    "target_customers",
                    "tone",
                    "selling_points",
                    ("brand_primary_color", "brand_secondary_color"),
                    "logo",
                    "background_music",
                    "links",
                )
            },
        ),
    )


@admin.register(Product)
class ProductAdmin(TenantAdmin):
    list_display = ["name", "business", "price", "is_signature", "is_active"]
    list_filter = ["is_signature", "is_active", "business__industry"]
    search_fields = ["name", "business__name"]
    list_select_related = ["business"]


@admin.register(Photo)
class PhotoAdmin(TenantAdmin):
    list_display = ["__str__", "business", "width", "height", "created_at"]
    search_fields = ["caption", "business__name"]
    list_select_related = ["business"]

    def save_model(self, request: HttpRequest, obj: Photo, form: Any, change: bool) -> None:
        """A new upload is kept as the owner's app keeps it: upright, without EXIF or GPS,
        as JPEG (the field's validator has already refused what is not a photo)."""
        if "image" in form.changed_data and obj.image:
            obj.image.seek(0)
            content, (obj.width, obj.height) = photo_cleaned(obj.image.read(), obj.image.name)
            obj.image = content
        super().save_model(request, obj, form, change)


@admin.register(UsageRecord)
class UsageRecordAdmin(TenantAdmin):
    add_role = None
    list_display = [
        "created_at",
        "organization",
        "business",
        "kind",
        "quantity",
        "model_name",
        "input_tokens",
        "output_tokens",
        "cost_usd",
    ]
    list_filter = ["kind", "model_name", "organization"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "business"]

    def has_change_permission(self, request: HttpRequest, obj: UsageRecord | None = None) -> bool:
        return request.user.is_superuser


@admin.register(MarketSnapshot)
class MarketSnapshotAdmin(TenantAdmin):
    """What SEMAS said about each shop's surroundings; written by marketing.market only."""

    add_role = None
    list_display = [
        "fetched_at",
        "business",
        "status",
        "competitors_500m",
        "competitors_1km",
        "store_count",
        "error",
    ]
    list_filter = ["status"]
    search_fields = ["business__name", "error"]
    date_hierarchy = "fetched_at"
    list_select_related = ["business"]
    readonly_fields = [
        "business",
        "fetched_at",
        "status",
        "competitors_500m",
        "competitors_1km",
        "store_count",
        "neighbours",
        "local_keywords",
        "error",
    ]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: MarketSnapshot | None = None
    ) -> bool:
        return False
