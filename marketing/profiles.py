"""A business described in a profile file (JSON): the import behind make_campaign.

Unknown industries and tones fall back to sensible values with a warning;
missing optional fields are simply empty. Errors name the field in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.imports import choice_value
from core.uploads import InputRejected
from marketing import limits
from marketing.industries import INDUSTRY_CHOICES
from marketing.models import Business, Organization
from marketing.services import photo_add_once, products_replace

HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ProfileProduct(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    price: int | None = Field(default=None, ge=0)
    description: str = ""
    is_signature: bool = False


class Profile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=120)
    industry: str = "other"
    area: str = Field(min_length=1, max_length=120)
    description: str = ""
    target_customers: str = ""
    tone: str = "friendly"
    selling_points: list[str] = []
    brand_colors: list[str] = []
    products: list[ProfileProduct] = []
    hours: str = ""
    photos: list[str] = []
    offer: str = ""
    address: str = ""
    phone: str = ""
    price_range: str = "moderate"
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("brand_colors")
    @classmethod
    def colors_are_hex(cls, colors: list[str]) -> list[str]:
        bad = [c for c in colors if not HEX.match(c)]
        if bad:
            raise ValueError(f"colours must look like #RRGGBB: {', '.join(bad)}")
        return colors


class ProfileError(Exception):
    pass


@dataclass
class ImportedBusiness:
    business: Business
    offer: str
    warnings: list[str] = field(default_factory=list)


def _industry_code(value: str, warnings: list[str]) -> str:
    code = choice_value(value, INDUSTRY_CHOICES)
    if code is not None:
        return code
    warnings.append(f"unknown industry {value!r}: using 'other' (기타)")
    return "other"


def _choice(value: str, choices: list[str], default: str, name: str, warnings: list[str]) -> str:
    if value in choices:
        return value
    warnings.append(f"unknown {name} {value!r}: using {default!r}")
    return default


def profile_parse(data: object) -> Profile:
    """Raises ProfileError listing every bad field."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        lines = [f"{'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}" for e in exc.errors()]
        raise ProfileError("the profile has problems:\n  " + "\n  ".join(lines)) from exc


def business_from_profile(
    profile: Profile, *, organization: Organization, base_dir: Path
) -> ImportedBusiness:
    """Create (or update, by name within the organization) the business and its menu."""
    warnings: list[str] = []
    colors = [*profile.brand_colors, "#2F4858", "#F6AE2D"]
    fields = {
        "industry": _industry_code(profile.industry, warnings),
        "area": profile.area,
        "description": profile.description,
        "target_customers": profile.target_customers,
        "tone": _choice(profile.tone, Business.Tone.values, "friendly", "tone", warnings),
        "price_range": _choice(
            profile.price_range, Business.PriceRange.values, "moderate", "price_range", warnings
        ),
        "selling_points": [p.strip() for p in profile.selling_points if p.strip()],
        "brand_primary_color": colors[0],
        "brand_secondary_color": colors[1],
        "opening_hours": profile.hours,
        "address": profile.address,
        "phone": profile.phone,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
    }
    with transaction.atomic():
        # A new shop takes a place in the plan (LimitReached); an update of one takes none.
        if not Business.objects.filter(organization=organization, name=profile.name).exists():
            limits.check_business_room(limits.locked_organization(organization.pk))
        business, _created = Business.objects.update_or_create(
            organization=organization, name=profile.name, defaults=fields
        )
        products_replace(business=business, products=[p.model_dump() for p in profile.products])
        for path in profile.photos:
            _attach_photo(business, base_dir / path, warnings)
    return ImportedBusiness(business, profile.offer, warnings)


def _attach_photo(business: Business, path: Path, warnings: list[str]) -> None:
    if not path.is_file():
        warnings.append(f"photo not found, skipped: {path}")
        return
    try:
        photo_add_once(business=business, data=path.read_bytes(), name=path.name, caption=path.stem)
    except InputRejected as exc:
        warnings.append(f"photo skipped, {path.name}: {exc.message}")
