from __future__ import annotations

import zoneinfo
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketing.models import Business, Organization, Product
from marketing.selectors import organizations_for_user


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "price", "description", "is_signature", "is_active", "sort_order"]


class BusinessSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("비워 두면 소속 조직이 하나일 때 그 조직으로 정합니다."),
    )
    industry_family = serializers.CharField(read_only=True)
    products = ProductSerializer(many=True, read_only=True)
    # Typed here (JSON in the model) so the API schema says what is accepted.
    selling_points = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), required=False
    )
    links = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_('예: {"instagram": "https://…"}'),
    )
    time_zone = serializers.ChoiceField(
        choices=sorted(zoneinfo.available_timezones()),
        required=False,
        error_messages={"invalid_choice": _("알 수 없는 시간대입니다. 예: Asia/Seoul")},
    )

    class Meta:
        model = Business
        fields = [
            "id",
            "organization",
            "name",
            "industry",
            "industry_family",
            "description",
            "area",
            "address",
            "latitude",
            "longitude",
            "phone",
            "opening_hours",
            "price_range",
            "target_customers",
            "tone",
            "selling_points",
            "brand_primary_color",
            "brand_secondary_color",
            "links",
            "time_zone",
            "products",
            "paused_at",
            "archived_at",
            "erase_after",
            "created_at",
            "updated_at",
        ]
        # The lifecycle moves through publishing.lifecycle (the business's actions), only.
        read_only_fields = ["paused_at", "archived_at", "erase_after", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only organizations the caller belongs to are valid choices.
            self._organization_field().queryset = organizations_for_user(request.user)

    def _organization_field(self) -> serializers.PrimaryKeyRelatedField:
        field = self.fields["organization"]
        assert isinstance(field, serializers.PrimaryKeyRelatedField)  # declared above
        return field

    def validate(self, attrs: dict) -> dict:
        if self.instance is None and "organization" not in attrs:
            organizations = self._organization_field().get_queryset()
            assert organizations is not None  # declared with one, narrowed in __init__
            choices = list(organizations[:2])
            if len(choices) != 1:
                raise serializers.ValidationError(
                    {"organization": [_("어느 조직에 추가할지 organization을 지정해 주세요.")]}
                )
            attrs["organization"] = choices[0]
        return attrs
