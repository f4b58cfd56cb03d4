from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from marketing import limits
from marketing.admin_audit import AuditEventAdmin
from marketing.admin_export import export_csv
from marketing.admin_imports import ShopImportAdmin
from marketing.audit import audit_role_change
from marketing.erasure import business_erase, has_history
from marketing.models import (
    AuditEvent,
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
from marketing.selectors import scope_for_user, signed_in_user
from marketing.services import membership_change_refusal, photo_cleaned
from marketing.tenant_admin import TenantAdmin, TenantInline

# Every list in the admin exports its selected rows as CSV (scoped like the list itself);
# the stubs expect an action to answer with a template, Django takes any response.
admin.site.add_action(export_csv, "export_csv")  # type: ignore[arg-type]


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


class MembershipFormSet(forms.BaseInlineFormSet):
    """The organization's members on its page: no more seats than the plan has."""

    def clean(self) -> None:
        super().clean()
        organization = self.instance
        plan = organization.plan
        limit = plan.max_seats if plan else None
        if plan is None or limit is None:
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        rows = {form.instance.pk for form in self.forms if form.instance.pk}
        before = limits.counted_seats(organization).count() if organization.pk else 0
        others = limits.counted_seats(organization).exclude(pk__in=rows).count() if rows else before
        after = others + sum(1 for row in kept if row.get("role") != Membership.Role.CLIENT)
        # Only a change that adds seats is refused: a plan lowered below its members keeps them.
        if after > limit and after > before:
            raise forms.ValidationError(limits.seat_message(plan, limit))


class MembershipInline(TenantInline):
    model = Membership
    formset = MembershipFormSet
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(TenantAdmin):
    write_role = Membership.Role.OWNER
    delete_role = Membership.Role.OWNER
    add_role = None
    list_display = ["name", "kind", "plan", "approval_mode", "business_count", "created_at"]
    list_filter = ["kind", "plan"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(_business_count=Count("businesses"))

    @admin.display(description=_("사업장 수"), ordering="_business_count")
    def business_count(self, organization: Organization) -> int:
        return organization._business_count  # type: ignore[attr-defined]

    # Deleting an organization would cascade through its shops and their history: its
    # shops are archived and erased first (publishing.lifecycle), one by one.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.businesses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Members added, changed or removed on the organization's page are audited."""
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        actor = signed_in_user(request.user)
        before = dict(
            Membership.objects.filter(organization=form.instance).values_list("pk", "role")
        )
        for gone in formset.deleted_forms:
            if gone.instance.pk in before:
                role = before[gone.instance.pk]
                audit_role_change(gone.instance, old_role=role, new_role=None, actor=actor)
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            audit_role_change(membership, old_role=None, new_role=membership.role, actor=actor)
        for membership, _fields in formset.changed_objects:
            old_role = before.get(membership.pk)
            audit_role_change(membership, old_role=old_role, new_role=membership.role, actor=actor)


class MembershipForm(forms.ModelForm):
    actor: User  # set on the form class by MembershipAdmin.get_form

    class Meta:
        model = Membership
        fields = ["organization", "user", "role", "business"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organization = cleaned.get("organization") or self.instance_organization()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        # A client viewer sees exactly one shop of the organization; nobody else is tied.
        business = cleaned.get("business")
        if cleaned.get("role") == Membership.Role.CLIENT:
            if business is None or (organization and business.organization_id != organization.pk):
                self.add_error("business", _("고객이 볼 이 조직의 사업장을 골라 주세요."))
        elif business is not None:
            cleaned["business"] = None
        if organization and user and cleaned.get("role"):
            refusal = membership_change_refusal(
                organization=organization, user=user, role=cleaned["role"], actor=self.actor
            )
            if refusal:
                raise forms.ValidationError(refusal)
            if cleaned["role"] != Membership.Role.CLIENT:
                seats = limits.seat_refusal(organization, user=user)
                if seats:
                    raise forms.ValidationError(seats)
        return cleaned

    def instance_organization(self) -> Organization | None:
        return self.instance.organization if self.instance.organization_id else None


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    form = MembershipForm
    write_role = Membership.Role.MANAGER
    add_role = Membership.Role.MANAGER
    list_display = ["user", "organization", "role", "business", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "organization", "business"]

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

    # Every role given, changed or taken away here is in the organization's audit log.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        old_role = Membership.objects.filter(pk=obj.pk).values_list("role", flat=True).first()
        super().save_model(request, obj, form, change)
        actor = signed_in_user(request.user)
        audit_role_change(obj, old_role=old_role, new_role=obj.role, actor=actor)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        actor = signed_in_user(request.user)
        audit_role_change(obj, old_role=obj.role, new_role=None, actor=actor)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        actor = signed_in_user(request.user)
        going = scope_for_user(queryset, request.user, min_role=self.delete_role)
        for membership in going.select_related("user", "business"):
            audit_role_change(membership, old_role=membership.role, new_role=None, actor=actor)
        super().delete_queryset(request, queryset)


class ProductInline(TenantInline):
    model = Product
    fields = ["name", "price", "description", "is_signature", "is_active", "sort_order", "photo"]


class SetFilter(admin.SimpleListFilter):
    """Yes / no on whether a date field is set (paused, archived)."""

    field_name = ""

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, StrOrPromise]]:
        return [("yes", _("예")), ("no", _("아니요"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(**{f"{self.field_name}__isnull": self.value() == "no"})
        return queryset


class PausedFilter(SetFilter):
    title = _("일시 중지")
    parameter_name = "paused"
    field_name = "paused_at"


class ArchivedFilter(SetFilter):
    title = _("보관")
    parameter_name = "archived"
    field_name = "archived_at"


class BusinessAdminForm(forms.ModelForm):
    """A shop added here (or moved to another organization) takes a place in the plan."""

    class Meta:
        model = Business
        fields = ["organization"]  # BusinessAdmin's fieldsets add the rest

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        organization = cleaned.get("organization")
        if organization is None or self.instance.archived_at is not None:
            return cleaned
        if organization.pk != self.instance.organization_id:  # added, or moved here
            refusal = limits.business_refusal(organization)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


@admin.register(Business)
class BusinessAdmin(ShopImportAdmin, TenantAdmin):  # 가져오기: marketing.admin_imports
    list_display = [
        "name",
        "organization",
        "plan",
        "industry",
        "area",
        "paused_at",
        "archived_at",
        "updated_at",
    ]
    list_filter = [
        "organization",
        "industry",
        PausedFilter,
        ArchivedFilter,
        ("organization__plan", admin.RelatedOnlyFieldListFilter),
        "tone",
        "price_range",
    ]
    search_fields = ["name", "area", "address", "organization__name"]
    list_select_related = ["organization__plan"]

    @admin.display(description=_("요금제"), ordering="organization__plan__price_krw")
    def plan(self, business: Business) -> str:
        return str(business.organization.plan or "")

    inlines = [ProductInline]
    form = BusinessAdminForm

    # Deleting follows publishing.lifecycle's rule: a shop with history is archived (the
    # 보관 action), never cascaded away here; one with none may go at once, audited.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the rule
        return actions

    def delete_model(self, request: HttpRequest, obj: Business) -> None:
        with transaction.atomic():
            locked = Business.objects.select_for_update().get(pk=obj.pk)
            if has_history(locked):
                raise PermissionDenied
            business_erase(
                locked, actor=signed_in_user(request.user), why=gettext("관리 화면에서 삭제")
            )

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


# The activity log, read only (marketing.admin_audit).
admin.site.register(AuditEvent, AuditEventAdmin)
