"""Shops from a spreadsheet: each row a shop's profile and menu, matched on re-import
by the key the file carries (docs/import-format.md).

Every row is checked before anything is written, the way the profile import checks a
profile (the same field rules, ``marketing.profiles.Profile``) and then the way the
admin checks a shop (the model's own validation). A dry run stops there. A real run
writes all rows in one transaction or, when any row is bad, nothing at all: the
staffer fixes the file and uploads the same file again, and the preview they saw is
exactly what happens (a half-imported file would leave them working out which rows
went in).
"""

from __future__ import annotations

import copy
import re
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError as PydanticError

from core.imports import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    ImportFileError,
    ImportReport,
    RowResult,
    Table,
    choice_value,
    header_key,
    mark_repeated,
    parse_won,
    read_table,
    split_list,
    write_all,
)
from marketing import limits
from marketing.audit import Action, audit
from marketing.industries import INDUSTRY_CHOICES
from marketing.models import Business, Membership, Organization, Product, User
from marketing.profiles import HEX, Profile, ProfileProduct
from marketing.selectors import has_role
from marketing.services import MAX_SELLING_POINTS, business_create

KEY = Column("key", "키", ("key", "import_key", "가져오기키"), required=True)
COLUMNS = (
    KEY,
    Column("name", "상호", ("name", "사업장명", "매장명"), required=True),
    Column("industry", "업종", ("industry",), required=True),
    Column("area", "동네", ("area",), required=True),
    Column("address", "주소", ("address",)),
    Column("phone", "전화번호", ("phone", "매장 전화번호")),
    Column("description", "소개", ("description",)),
    Column("target_customers", "주요 고객", ("target_customers",)),
    Column("tone", "말투", ("tone",)),
    Column("price_range", "가격대", ("price_range",)),
    Column("opening_hours", "영업시간", ("hours", "opening_hours")),
    Column("selling_points", "강점", ("selling_points",)),
    Column("brand_primary_color", "대표 색상", ("brand_primary_color",)),
    Column("brand_secondary_color", "보조 색상", ("brand_secondary_color",)),
    Column("latitude", "위도", ("latitude",)),
    Column("longitude", "경도", ("longitude",)),
    Column("time_zone", "시간대", ("time_zone",)),
    Column("signature", "대표 메뉴", ("signature_menu",)),
)
# The menu: 메뉴1, 메뉴1 가격, 메뉴1 설명, 메뉴2, … (spaces aside), as many as needed.
MENU = re.compile(r"^메뉴(\d{1,2})(가격|설명)?$")
# Text fields a blank cell empties; the choices and the colours fall back to the default.
TEXT_FIELDS = ("address", "phone", "description", "target_customers", "opening_hours")
DEFAULTS = {
    "tone": Business.Tone.FRIENDLY,
    "price_range": Business.PriceRange.MODERATE,
    "brand_primary_color": "#2F4858",
    "brand_secondary_color": "#F6AE2D",
    "time_zone": "Asia/Seoul",
}
SIX_PLACES = Decimal("0.000001")
PRICE_RANGES = Business.PriceRange.choices
# Profile's names for the fields it checks, where they differ from the model's.
PROFILE_NAMES = {"opening_hours": "hours"}


@dataclass
class ShopRow:
    result: RowResult
    fields: dict[str, Any] = field(default_factory=dict)
    products: list[dict[str, Any]] = field(default_factory=list)
    business: Business | None = None  # the shop the key (or, the first time, the name) finds


def may_import(actor: User, organization: Organization) -> bool:
    """Staff and above import into their organization; a client viewer may not."""
    return has_role(actor, organization, Membership.Role.STAFF)


def shops_import(
    *, organization: Organization, data: bytes, file_name: str, actor: User, dry_run: bool
) -> ImportReport:
    """Check every row of a shops file and, unless ``dry_run`` or a row is bad, create
    the new shops (through ``business_create``: the plan's limit applies) and update
    the ones whose key matches, with their menus, in one transaction. Idempotent: the
    same file again changes nothing. Raises PermissionDenied for a non-member."""
    if not may_import(actor, organization):
        raise PermissionDenied(_("이 조직에 사업장을 가져올 권한이 없습니다."))
    report = ImportReport("shops", file_name, dry_run)
    try:
        table = read_table(data, COLUMNS)
    except ImportFileError as exc:
        report.file_error(exc.message)
        return report
    rows = [_parsed(table, number, cells) for number, cells in table.rows]
    report.rows = [row.result for row in rows]
    mark_repeated(((row.result, row.result.key) for row in rows if row.result.key), KEY.header)
    _match(organization, rows)
    for row in rows:
        if not row.result.errors:
            _plan(organization, table, row)
    room = _room_error(organization, sum(1 for row in rows if row.result.action == CREATE))
    if room:
        report.file_error(room)
    if dry_run or not report.ok:
        return report
    return write_all(
        report,
        rows,
        lambda row: _write(organization, actor, row),
        then=lambda: import_audited(report, organization_id=organization.pk, actor=actor),
    )


AUDIT_SUMMARIES = {
    "shops": gettext_lazy("사업장 가져오기 (%(file)s): %(summary)s"),
    "posts": gettext_lazy("게시물 가져오기 (%(file)s): %(summary)s"),
}


def import_audited(
    report: ImportReport, *, organization_id: int, actor: User, business: Business | None = None
) -> None:
    """The import's entry in the organization's audit log."""
    audit(
        organization_id,
        Action.IMPORTED,
        str(AUDIT_SUMMARIES[report.kind]) % {"file": report.file_name, "summary": report.summary()},
        actor=actor,
        business=business,
        kind=report.kind,
        created=report.count(CREATE),
        updated=report.count(UPDATE),
        unchanged=report.count(UNCHANGED),
    )


# --- Reading a row ---------------------------------------------------------------------------


def _parsed(table: Table, number: int, cells: dict[str, str]) -> ShopRow:
    result = RowResult(number, cells.get("key", ""), cells.get("name", ""))
    row = ShopRow(result)
    for column in ("key", "name", "industry", "area"):
        if not cells.get(column):
            result.error(table.header(column), _("비어 있어요."))
    if len(result.key) > 100:
        result.error(table.header("key"), _("100자 이내로 적어 주세요."))
    if cells.get("industry"):
        row.fields["industry"] = _choice(table, result, "industry", cells, INDUSTRY_CHOICES)
    for name, choices in (("tone", Business.Tone.choices), ("price_range", PRICE_RANGES)):
        if table.has(name):
            row.fields[name] = _choice(table, result, name, cells, choices) or DEFAULTS[name]
    for name in ("brand_primary_color", "brand_secondary_color"):
        if table.has(name):
            value = cells.get(name, "") or DEFAULTS[name]
            if not HEX.match(value):
                result.error(table.header(name), _("#RRGGBB 형식으로 적어 주세요 (예: #2F4858)."))
            row.fields[name] = value
    if table.has("time_zone"):
        row.fields["time_zone"] = _time_zone(table, result, cells.get("time_zone", ""))
    _profile_fields(table, result, row, cells)
    return row


def _choice(table: Table, result: RowResult, name: str, cells: dict[str, str], choices: Any) -> str:
    value = cells.get(name, "")
    if not value:
        return ""
    code = choice_value(value, list(choices))
    if code is None:
        result.error(
            table.header(name),
            _("'%(value)s'은(는) 고를 수 있는 값이 아니에요. 코드나 이름으로 적어 주세요 "
              "(docs/import-format.md).") % {"value": value},
        )  # fmt: skip
    return code or ""


def _time_zone(table: Table, result: RowResult, value: str) -> str:
    if not value:
        return DEFAULTS["time_zone"]
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        result.error(table.header("time_zone"), _("알 수 없는 시간대입니다. 예: Asia/Seoul"))
    return value


def _profile_fields(table: Table, result: RowResult, row: ShopRow, cells: dict[str, str]) -> None:
    """The fields the profile format also has, checked by its rules."""
    # A blank name or area is reported once, above.
    given: dict[str, Any] = {"name": cells.get("name") or "-", "area": cells.get("area") or "-"}
    for name in TEXT_FIELDS:
        if table.has(name):
            given[PROFILE_NAMES.get(name, name)] = cells.get(name, "")
    if table.has("selling_points"):
        points = split_list(cells.get("selling_points", ""))
        if len(points) > MAX_SELLING_POINTS:
            result.error(
                table.header("selling_points"),
                _("강점은 %(limit)s개까지 적을 수 있어요.") % {"limit": MAX_SELLING_POINTS},
            )
        given["selling_points"] = points[:MAX_SELLING_POINTS]
    for name in ("latitude", "longitude"):
        if table.has(name):
            given[name] = cells.get(name) or None
    row.products = _menu(table, result, cells)
    try:
        profile = Profile.model_validate(given)
    except PydanticError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            model_name = next((k for k, v in PROFILE_NAMES.items() if v == name), name)
            result.error(table.header(model_name), _pydantic_message(error))
        return
    for name in ("name", "area"):
        row.fields[name] = getattr(profile, name)
    for name in TEXT_FIELDS:
        if table.has(name):
            row.fields[name] = getattr(profile, PROFILE_NAMES.get(name, name))
    if table.has("selling_points"):
        row.fields["selling_points"] = profile.selling_points
    for name in ("latitude", "longitude"):
        if table.has(name):
            value = getattr(profile, name)
            row.fields[name] = None if value is None else Decimal(str(value)).quantize(SIX_PLACES)


def _menu(table: Table, result: RowResult, cells: dict[str, str]) -> list[dict[str, Any]]:
    items: dict[int, dict[str, Any]] = {}
    for name, value in cells.items():
        match = MENU.match(header_key(name))
        if not match or not value:
            continue
        item = items.setdefault(int(match.group(1)), {})
        part = {"가격": "price", "설명": "description"}.get(match.group(2) or "", "name")
        if part == "price":
            try:
                item["price"] = parse_won(value)
            except ValueError:
                result.error(table.header(name), _("숫자로 적어 주세요 (예: 3800)."))
        else:
            item[part] = value
    signature = set(split_list(cells.get("signature", "").replace(",", "|")))
    products = []
    for number in sorted(items):
        item = items[number]
        if "name" not in item:
            result.error(
                table.header(f"메뉴{number}"),
                _("메뉴%(n)s의 가격이나 설명이 있는데 이름이 없어요.") % {"n": number},
            )
            continue
        try:
            product = ProfileProduct.model_validate(
                {**item, "is_signature": item["name"] in signature}
            )
        except PydanticError as exc:
            for error in exc.errors():
                result.error(table.header(f"메뉴{number}"), _pydantic_message(error))
            continue
        products.append(product.model_dump())
    unknown = signature - {p["name"] for p in products}
    if unknown and not result.errors:
        result.error(
            table.header("signature"),
            _("메뉴에 없는 이름이에요: %(names)s") % {"names": ", ".join(sorted(unknown))},
        )
    return products


def _pydantic_message(error: Any) -> str:
    """The profile rules' complaint, as the staffer reads it."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind in ("missing", "string_too_short"):
        return _("비어 있어요.")
    if kind == "string_too_long":
        return _("%(limit)s자 이내로 적어 주세요.") % {"limit": context.get("max_length")}
    if kind in ("greater_than_equal", "less_than_equal"):
        return _("범위를 벗어난 숫자예요.")
    if kind in ("float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"):
        return _("숫자로 적어 주세요.")
    return _("형식이 올바르지 않아요.")


# --- What the row does ------------------------------------------------------------------------


def _match(organization: Organization, rows: list[ShopRow]) -> None:
    """Find each row's shop: by its key, or the first time by its name (a shop made in the
    app before the agency kept keys, when exactly one shop has that name and no key)."""
    keys = [row.result.key for row in rows if row.result.key]
    by_key = {
        b.import_key: b
        for b in organization.businesses.filter(import_key__in=keys).prefetch_related("products")
    }
    names = [row.fields["name"] for row in rows if "name" in row.fields]
    unkeyed: dict[str, list[Business]] = {}
    for business in organization.businesses.filter(import_key="", name__in=names).prefetch_related(
        "products"
    ):
        unkeyed.setdefault(business.name, []).append(business)
    for row in rows:
        found = by_key.get(row.result.key)
        if found is None:
            candidates = unkeyed.get(row.fields.get("name", ""), [])
            found = candidates[0] if len(candidates) == 1 else None
            if found is not None:
                candidates.append(found)  # one row adopts it; a second row of that name is new
        row.business = found


def _plan(organization: Organization, table: Table, row: ShopRow) -> None:
    """Set the row's action and changes, and check the shop as the model would save it."""
    result, business = row.result, row.business
    fields = {**row.fields, "import_key": result.key}
    if business is None:
        result.action = CREATE
        candidate = Business(organization=organization, **{**DEFAULTS, **fields})
    else:
        changed = [name for name, value in fields.items() if getattr(business, name) != value]
        menu = _menu_changes(business, row.products)
        result.changes = [table.header("key" if n == "import_key" else n) for n in changed] + (
            [_("메뉴") + f" ({', '.join(menu)})"] if menu else []
        )
        result.action = UPDATE if result.changes else UNCHANGED
        candidate = copy.copy(business)  # checked as it would be saved, the shop untouched
        for name, value in fields.items():
            setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["logo", "background_music"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            column = table.header(name) if name in table.headers else ""
            for message in messages:
                result.error(column, message)
        result.action = ""


def _menu_changes(business: Business, products: list[dict[str, Any]]) -> list[str]:
    current = {p.name: p for p in business.products.all()}
    changed = []
    for order, item in enumerate(products):
        product = current.get(item["name"])
        if product is None or _product_fields(item, order) != {
            name: getattr(product, name) for name in _product_fields(item, order)
        }:
            changed.append(item["name"])
    return changed


def _product_fields(item: dict[str, Any], order: int) -> dict[str, Any]:
    return {
        "price": item.get("price"),
        "description": item.get("description", ""),
        "is_signature": item.get("is_signature", False),
        "sort_order": order,
        "is_active": True,
    }


def _room_error(organization: Organization, creating: int) -> str:
    plan = organization.plan
    limit = plan.max_businesses if plan else None
    if plan is None or limit is None or creating == 0:
        return ""
    used = limits.counted_businesses(organization).count()
    if used + creating <= limit:
        return ""
    return _(
        "%(plan)s 요금제는 사업장을 %(limit)s곳까지 쓸 수 있어요. 지금 %(used)s곳이 있어 "
        "%(room)s곳만 더 만들 수 있는데, 이 파일은 %(count)s곳을 새로 만들어요."
    ) % {
        "plan": plan.name,
        "limit": limit,
        "used": used,
        "room": max(limit - used, 0),
        "count": creating,
    }


# --- Writing ----------------------------------------------------------------------------------


def _write(organization: Organization, actor: User, row: ShopRow) -> RowResult:
    result = row.result
    fields = {**row.fields, "import_key": result.key}
    if result.action == CREATE:
        try:
            row.business = business_create(organization=organization, actor=actor, **fields)
        except limits.LimitReached as exc:  # another import took the last places meanwhile
            result.error("", exc.reason)
            return result
    elif result.action == UPDATE:
        business = row.business
        assert business is not None  # an update has its shop
        for name, value in fields.items():
            setattr(business, name, value)
        business.save()  # checked in full when the row was planned
    else:
        return result
    assert row.business is not None
    for order, item in enumerate(row.products):  # added or changed; never deleted
        Product.objects.update_or_create(
            business=row.business, name=item["name"], defaults=_product_fields(item, order)
        )
    return result
