"""SEMAS 상가(상권)정보 (data.go.kr 15012005): the shops around a point.

One small client over ``core.http``. Errors come out as ``SemasError`` with a
Korean message for the owner, the platform's words in ``detail``, and
``permanent`` set when retrying cannot help (a bad key, a bad request).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus, unquote

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from core.http import http_session


@dataclass(frozen=True)
class Store:
    """A shop as SEMAS lists it (the fields Gagecast uses)."""

    id: str  # bizesId
    name: str
    branch: str
    large_code: str
    large_name: str
    medium_code: str
    medium_name: str
    small_code: str
    small_name: str
    adong: str  # 행정동, e.g. "연남동" or "역삼1동"
    road_address: str
    lon: float
    lat: float

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Store | None:
        """The store in one ``items`` entry; None when it has no usable coordinates."""
        try:
            lon, lat = float(item["lon"]), float(item["lat"])
        except (KeyError, TypeError, ValueError):
            return None

        def text(key: str) -> str:
            # SEMAS pads some names ("비알코올 "), so every text field is stripped.
            return str(item.get(key) or "").strip()

        return cls(
            id=text("bizesId"),
            name=text("bizesNm"),
            branch=text("brchNm"),
            large_code=text("indsLclsCd"),
            large_name=text("indsLclsNm"),
            medium_code=text("indsMclsCd"),
            medium_name=text("indsMclsNm"),
            small_code=text("indsSclsCd"),
            small_name=text("indsSclsNm"),
            adong=text("adongNm"),
            road_address=text("rdnmAdr"),
            lon=lon,
            lat=lat,
        )


class SemasError(Exception):
    """SEMAS could not answer. ``message`` is for the owner; ``detail`` is SEMAS's own."""

    def __init__(self, message: str, *, permanent: bool, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else self.message


class SemasClient:
    PAGE_SIZE = 1000  # the API's maximum numOfRows
    MAX_PAGES = 20  # 20,000 shops: far beyond any 2 km radius; a guard against a loop
    NO_DATA = "03"
    # data.go.kr result codes that may pass: application/HTTP errors, timeouts, quota.
    TRANSIENT_CODES = frozenset({"01", "02", "04", "05", "22", "99"})
    _GATEWAY_CODE = re.compile(r"<returnReasonCode>\s*(\d+)\s*</returnReasonCode>")
    _GATEWAY_MESSAGE = re.compile(r"<returnAuthMsg>\s*([^<]*?)\s*</returnAuthMsg>")

    def __init__(
        self, base_url: str, service_key: str, session: requests.Session | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # data.go.kr hands out the key in two forms; sending the already-encoded one
        # through requests would encode it twice and look like an unregistered key.
        self.service_key = unquote(service_key) if "%" in service_key else service_key
        self.session = session or http_session()

    @classmethod
    def from_settings(cls) -> SemasClient:
        return cls(settings.SEMAS_BASE_URL, settings.SEMAS_SERVICE_KEY)

    def stores_in_radius(
        self,
        lon: float,
        lat: float,
        radius_m: int,
        *,
        large: str | None = None,
        medium: str | None = None,
        small: str | None = None,
    ) -> list[Store]:
        """Every shop within ``radius_m`` of the point (all pages), optionally of one class.

        Raises SemasError (transient for 429, 5xx, timeouts and busy gateways).
        """
        params: dict[str, Any] = {"cx": f"{lon:.7f}", "cy": f"{lat:.7f}", "radius": radius_m}
        for key, code in (("indsLclsCd", large), ("indsMclsCd", medium), ("indsSclsCd", small)):
            if code:
                params[key] = code
        stores: list[Store] = []
        for page_no in range(1, self.MAX_PAGES + 1):
            items, total = self._page("storeListInRadius", params, page_no)
            stores.extend(store for item in items if (store := Store.from_item(item)))
            if len(items) < self.PAGE_SIZE or page_no * self.PAGE_SIZE >= total:
                break
        return stores

    def _page(
        self, operation: str, params: dict[str, Any], page_no: int
    ) -> tuple[list[dict[str, Any]], int]:
        query = {
            "serviceKey": self.service_key,
            "type": "json",
            "numOfRows": self.PAGE_SIZE,
            "pageNo": page_no,
            **params,
        }
        try:
            response = self.session.get(f"{self.base_url}/{operation}", params=query)
        except requests.Timeout as error:
            detail = self._redacted(f"timeout: {error}")
            raise SemasError(_busy(), permanent=False, detail=detail) from error
        except requests.RequestException as error:
            raise SemasError(_busy(), permanent=False, detail=self._redacted(f"{error}")) from error
        self._raise_for_status(response)
        try:
            document = response.json()
        except ValueError:
            raise self._gateway_error(response.text) from None
        header = document.get("header") or {}
        code = str(header.get("resultCode") or "")
        if code == self.NO_DATA:
            return [], 0
        if code != "00":
            detail = f"{code} {header.get('resultMsg', '')}".strip()
            raise SemasError(
                _busy() if code in self.TRANSIENT_CODES else _refused(),
                permanent=code not in self.TRANSIENT_CODES,
                detail=detail,
            )
        body = document.get("body") or {}
        return _items(body.get("items")), int(body.get("totalCount") or 0)

    def _redacted(self, text: str) -> str:
        # requests puts the whole URL, key included, into its connection errors.
        for form in {
            self.service_key,
            quote(self.service_key, safe=""),
            quote_plus(self.service_key),
        }:
            text = text.replace(form, "***")
        return text

    def _raise_for_status(self, response: requests.Response) -> None:
        status = response.status_code
        if status < 400:
            return
        detail = f"HTTP {status}: {response.text[:200]}"
        if status == 429 or status >= 500:
            raise SemasError(_busy(), permanent=False, detail=detail)
        if status in (401, 403):
            raise SemasError(_bad_key(), permanent=True, detail=detail)
        raise SemasError(_refused(), permanent=True, detail=detail)

    def _gateway_error(self, text: str) -> SemasError:
        """data.go.kr's gateway speaks XML (whatever ``type``) when it refuses a call."""
        code = self._GATEWAY_CODE.search(text)
        if code is None:
            return SemasError(_busy(), permanent=False, detail=f"unreadable answer: {text[:200]}")
        message = self._GATEWAY_MESSAGE.search(text)
        detail = f"{code[1]} {message[1] if message else ''}".strip()
        if code[1] in self.TRANSIENT_CODES:
            return SemasError(_busy(), permanent=False, detail=detail)
        if code[1] in ("20", "30", "31", "32", "33"):  # denied, unregistered, expired, …
            return SemasError(_bad_key(), permanent=True, detail=detail)
        return SemasError(_refused(), permanent=True, detail=detail)


def _items(items: Any) -> list[dict[str, Any]]:
    # One shop can arrive as a bare object, and none as "" (data.go.kr's XML heritage).
    if isinstance(items, dict):
        return [items]
    if isinstance(items, list):
        return [item for item in items if isinstance(item, dict)]
    return []


def _busy() -> str:
    return _("상권 정보 서버가 지금 응답하지 않습니다. 잠시 후 다시 시도해 주세요.")


def _bad_key() -> str:
    return _("상권 정보 인증키가 등록되지 않았거나 만료되었습니다. 관리자에게 알려 주세요.")


def _refused() -> str:
    return _("상권 정보 서버가 요청을 받아들이지 않았습니다. 관리자에게 알려 주세요.")
