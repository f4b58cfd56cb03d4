"""A local SEMAS 상가(상권)정보 API (data.go.kr 15012005, ``sdsc2``).

Serves ``storeListInRadius`` (and a minimal ``storeListInUpjong``) in the JSON
shape data.go.kr sends. The stores form one deterministic world: the map is cut
into cells and each cell's shops are drawn from a seeded generator, so any query
anywhere sees the same streets, and overlapping queries agree. Tests can also
place shops by hand (``add_store``, ``point_at``) and ask for the ground truth
(``stores_within``).

Industry codes follow SEMAS's 2023 classification (large/medium/small, e.g. 카페
is I2 음식 > I212 비알코올 > I21201); see CATALOGUE for where each came from.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.server import FakeServer, RecordedRequest, Reply

API_PREFIX = r"(?:/B553077/api/open/sdsc2)?"
RADIUS_PATH = API_PREFIX + r"/storeListInRadius"
UPJONG_PATH = API_PREFIX + r"/storeListInUpjong"
EARTH_RADIUS_M = 6_371_000.0
CELL_DEG = 0.0025  # ≈ 280 m north–south, ≈ 220 m east–west in Seoul
MAX_ROWS = 1000
MAX_RADIUS_M = 2000
UPJONG_RADIUS_M = 2000  # storeListInUpjong searches this far around ``home``
YEONNAM = (126.9237, 37.5662)  # (lon, lat): 서울 마포구 연남동

COLUMNS = (
    "상가업소번호", "상호명", "지점명", "상권업종대분류코드", "상권업종대분류명",
    "상권업종중분류코드", "상권업종중분류명", "상권업종소분류코드", "상권업종소분류명",
    "표준산업분류코드", "표준산업분류명", "시도명", "시군구명", "행정동명", "법정동명",
    "지번주소", "도로명주소", "건물명", "층정보", "경도", "위도",
)  # fmt: skip


@dataclass(frozen=True)
class Industry:
    large: tuple[str, str]
    medium: tuple[str, str]
    small: tuple[str, str]
    ksic: tuple[str, str]
    weight: float  # how common, relative to the others
    stems: tuple[str, ...]  # the ends of shop names: "커피" → "소담커피"


FOOD, RETAIL = ("I2", "음식"), ("G2", "소매")
PERSONAL, SPORTS, EDUCATION = ("S2", "수리·개인"), ("R1", "예술·스포츠"), ("P1", "교육")

# Small-class codes and names as found in public code that calls sdsc2 (cross-checked
# across several projects); "(plausible)" marks a name or code not seen there. KSIC
# codes (10th edition, with the section letter) are plausible, not verified.
CATALOGUE: tuple[Industry, ...] = (
    Industry(FOOD, ("I201", "한식"), ("I20101", "백반/한정식"), ("I56111", "한식 일반 음식점업"), 10, ("식당", "밥상", "집밥")),
    Industry(FOOD, ("I201", "한식"), ("I20107", "돼지고기 구이/찜"), ("I56113", "한식 육류 요리 전문점"), 4, ("고깃집", "삼겹살", "숯불구이")),
    Industry(FOOD, ("I202", "중식"), ("I20201", "중국집"), ("I56121", "중식 음식점업"), 3, ("반점", "짬뽕", "중화요리")),
    Industry(FOOD, ("I203", "일식"), ("I20301", "일식 회/초밥"), ("I56130", "일식 음식점업"), 2, ("스시", "초밥", "횟집")),
    Industry(FOOD, ("I204", "서양식"), ("I20401", "양식"), ("I56141", "서양식 음식점업"), 2, ("파스타", "키친", "비스트로")),
    Industry(FOOD, ("I210", "기타 간이"), ("I21001", "빵/도넛"), ("I56191", "제과점업"), 3, ("베이커리", "빵집", "제과")),
    Industry(FOOD, ("I210", "기타 간이"), ("I21002", "떡/한과"), ("I56191", "제과점업"), 1, ("떡집", "떡방앗간")),  # name plausible
    Industry(FOOD, ("I210", "기타 간이"), ("I21003", "피자"), ("I56192", "피자, 햄버거, 샌드위치 및 유사 음식점업"), 1.5, ("피자",)),
    Industry(FOOD, ("I210", "기타 간이"), ("I21004", "버거"), ("I56192", "피자, 햄버거, 샌드위치 및 유사 음식점업"), 1, ("버거",)),
    Industry(FOOD, ("I210", "기타 간이"), ("I21005", "토스트/샌드위치/샐러드"), ("I56192", "피자, 햄버거, 샌드위치 및 유사 음식점업"), 1.5, ("토스트", "샌드위치", "샐러드")),
    Industry(FOOD, ("I210", "기타 간이"), ("I21006", "치킨"), ("I56193", "치킨 전문점"), 4, ("치킨", "통닭")),
    Industry(FOOD, ("I210", "기타 간이"), ("I21007", "김밥/만두/분식"), ("I56194", "김밥 및 기타 간이 음식점업"), 4, ("분식", "김밥", "떡볶이")),
    Industry(FOOD, ("I210", "기타 간이"), ("I21008", "아이스크림/빙수"), ("I56199", "간이 음식 포장 판매 전문점"), 1, ("빙수", "젤라또")),
    Industry(FOOD, ("I211", "주점"), ("I21101", "일반 유흥 주점"), ("I56211", "일반 유흥 주점업"), 1, ("주점",)),
    Industry(FOOD, ("I211", "주점"), ("I21103", "생맥주 전문"), ("I56213", "생맥주 전문점"), 2, ("호프", "비어")),
    Industry(FOOD, ("I211", "주점"), ("I21104", "요리 주점"), ("I56219", "기타 주점업"), 4, ("포차", "이자카야", "술집")),
    # SEMAS really writes this medium-class name with a trailing space.
    Industry(FOOD, ("I212", "비알코올 "), ("I21201", "카페"), ("I56221", "커피 전문점"), 12, ("커피", "카페", "로스터리", "커피랩")),
    Industry(RETAIL, ("G204", "종합 소매"), ("G20404", "슈퍼마켓"), ("G47121", "슈퍼마켓"), 2, ("마트", "슈퍼")),
    Industry(RETAIL, ("G204", "종합 소매"), ("G20405", "편의점"), ("G47122", "체인화 편의점"), 4, ("편의점", "24")),
    Industry(RETAIL, ("G205", "식료품 소매"), ("G20503", "정육점"), ("G47211", "육류 소매업"), 1, ("정육점", "축산")),
    Industry(RETAIL, ("G205", "식료품 소매"), ("G20509", "반찬가게"), ("G47219", "기타 식료품 소매업"), 1, ("반찬", "찬방")),  # name plausible
    Industry(RETAIL, ("G209", "섬유·의복·신발 소매"), ("G20901", "의류 소매업"), ("G47416", "셔츠 및 기타 의복 소매업"), 5, ("옷가게", "부티크", "스타일")),  # name plausible
    Industry(RETAIL, ("G215", "의약·화장품 소매"), ("G21501", "약국"), ("G47811", "약국"), 2, ("약국",)),
    Industry(RETAIL, ("G215", "의약·화장품 소매"), ("G21503", "화장품 소매업"), ("G47813", "화장품, 비누 및 방향제 소매업"), 2, ("코스메틱", "뷰티")),
    Industry(RETAIL, ("G219", "식물 소매"), ("G21901", "꽃집"), ("G47851", "화초 및 식물 소매업"), 1, ("꽃집", "플라워")),
    Industry(RETAIL, ("G220", "애완동물·용품 소매"), ("G22001", "애완동물/애완용품 소매업"), ("G47852", "애완용 동물 및 관련용품 소매업"), 1, ("펫샵", "애견")),  # medium plausible
    Industry(PERSONAL, ("S207", "이용·미용"), ("S20701", "미용실"), ("S96112", "두발 미용업"), 7, ("헤어", "미용실", "헤어살롱")),
    Industry(PERSONAL, ("S207", "이용·미용"), ("S20702", "피부 관리실"), ("S96113", "피부 미용업"), 3, ("피부관리", "에스테틱")),
    Industry(PERSONAL, ("S207", "이용·미용"), ("S20703", "네일숍"), ("S96119", "기타 미용업"), 3, ("네일", "네일아트")),
    Industry(PERSONAL, ("S209", "세탁"), ("S20901", "세탁소"), ("S96911", "가정용 세탁업"), 2, ("세탁소", "크리닝")),
    Industry(PERSONAL, ("S209", "세탁"), ("S20902", "빨래방"), ("S96912", "세탁물 공급업"), 1, ("빨래방",)),  # name plausible
    Industry(PERSONAL, ("S203", "자동차 수리·세차"), ("S20301", "자동차 정비소"), ("S95211", "자동차 종합 수리업"), 1, ("카센터", "모터스")),
    Industry(SPORTS, ("R103", "스포츠 서비스"), ("R10307", "헬스장"), ("R91113", "체력 단련시설 운영업"), 1.5, ("짐", "피트니스")),
    Industry(SPORTS, ("R103", "스포츠 서비스"), ("R10310", "당구장"), ("R91116", "당구장 운영업"), 0.5, ("당구장",)),
    Industry(SPORTS, ("R104", "유원지·오락"), ("R10406", "PC방"), ("R91221", "컴퓨터 게임방 운영업"), 1, ("PC방", "PC존")),
    Industry(SPORTS, ("R104", "유원지·오락"), ("R10407", "노래방"), ("R91223", "노래 연습장 운영업"), 1.5, ("노래방", "코인노래방")),
    Industry(EDUCATION, ("P105", "일반 교육"), ("P10501", "입시·교과학원"), ("P85501", "일반 교과 학원"), 4, ("학원", "수학교실", "영어학원")),
    Industry(EDUCATION, ("P106", "기타 교육"), ("P10603", "요가/필라테스 학원"), ("P85613", "요가 및 필라테스 학원"), 2, ("필라테스", "요가")),
)  # fmt: skip
_BY_SMALL = {industry.small[0]: industry for industry in CATALOGUE}
_WEIGHTS = [industry.weight for industry in CATALOGUE]
PREFIXES = (
    "소담", "하루", "골목", "다온", "봄날", "온기", "새벽", "단골", "한결", "오늘",
    "달빛", "모퉁이", "초록", "마실", "바람", "해밀", "도담", "연두", "느린", "작은",
)  # fmt: skip


@dataclass(frozen=True)
class Dong:
    signgu: str
    adong: str  # 행정동
    ldong: str  # 법정동
    lon: float  # approximate centre
    lat: float
    roads: tuple[str, ...]


# Approximate centres; a point more than NEAR_DONG_M from all of them gets a made-up dong.
GAZETTEER: tuple[Dong, ...] = (
    Dong("마포구", "연남동", "연남동", 126.9237, 37.5662, ("동교로", "성미산로", "연희로")),
    Dong("마포구", "서교동", "서교동", 126.9190, 37.5551, ("양화로", "와우산로", "어울마당로")),
    Dong("마포구", "합정동", "합정동", 126.9108, 37.5495, ("독막로", "양화로")),
    Dong("마포구", "망원1동", "망원동", 126.9040, 37.5560, ("망원로", "포은로")),
    Dong("서대문구", "신촌동", "창천동", 126.9410, 37.5620, ("연세로", "신촌로")),
    Dong("용산구", "이태원1동", "이태원동", 126.9940, 37.5345, ("이태원로", "보광로")),
    Dong("강남구", "역삼1동", "역삼동", 127.0330, 37.4950, ("테헤란로", "논현로")),
    Dong("강남구", "신사동", "신사동", 127.0220, 37.5240, ("도산대로", "압구정로")),
    Dong("종로구", "삼청동", "삼청동", 126.9820, 37.5850, ("삼청로", "북촌로")),
    Dong("송파구", "잠실3동", "잠실동", 127.0850, 37.5110, ("올림픽로", "백제고분로")),
)
NEAR_DONG_M = 2500
MADE_UP_DONGS = ("중앙동", "신흥동", "남산동", "대흥동", "송정동", "금곡동", "행신동", "봉덕동")


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres.

    The simulator keeps its own copy on purpose: it stands in for the platform, so
    it must not share the product's geometry code that it is there to check.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def point_at(lon: float, lat: float, distance: float, bearing_deg: float) -> tuple[float, float]:
    """The (lon, lat) ``distance`` metres from a point along ``bearing_deg`` (0 = north)."""
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    delta, theta = distance / EARTH_RADIUS_M, math.radians(bearing_deg)
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta)
    )
    lambda2 = lambda1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(lambda2), math.degrees(phi2)


class FakeSemas(FakeServer):
    """SEMAS 상가정보 on 127.0.0.1.

    ``service_key``: the one key accepted (None: any non-empty key). ``density``:
    about how many shops each ~220 m × 280 m cell holds (0: none, only added ones;
    the default gives roughly 1,500 shops within 1 km, like a busy Seoul 동).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        service_key: str | None = "sandbox",
        density: int = 24,
        home: tuple[float, float] = YEONNAM,
        stdr_ym: str = "202609",
        port: int = 0,
        delay_s: float = 0.0,
    ) -> None:
        super().__init__(port=port, delay_s=delay_s)
        self.seed = seed
        self.service_key = service_key
        self.density = density
        self.home = home
        self.stdr_ym = stdr_ym
        self._cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._added: list[dict[str, Any]] = []
        self._world_lock = threading.Lock()
        self.route("GET", RADIUS_PATH, self._store_list_in_radius)
        self.route("GET", UPJONG_PATH, self._store_list_in_upjong)

    # --- The world ------------------------------------------------------------------

    def add_store(
        self, small_code: str, lon: float, lat: float, name: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Put a shop of SEMAS small class ``small_code`` exactly here; returns its item."""
        rng = random.Random(f"added:{self.seed}:{len(self._added)}")
        item = _store_item(rng, _BY_SMALL[small_code], lon, lat)
        if name is not None:
            item["bizesNm"] = name
        item.update(fields)
        with self._world_lock:
            self._added.append(item)
        return item

    def throttle_next(self, times: int = 1) -> None:
        """Answer the next ``times`` calls with HTTP 429, as data.go.kr does to bursts."""
        self.script(Reply(status=429, body="API rate limit exceeded"), times=times)

    def stores_within(
        self,
        lon: float,
        lat: float,
        radius_m: float,
        *,
        large: str | None = None,
        medium: str | None = None,
        small: str | None = None,
    ) -> list[dict[str, Any]]:
        """The shops the API serves for this query (the ground truth for tests)."""
        wanted = {"indsLclsCd": large, "indsMclsCd": medium, "indsSclsCd": small}
        found = [
            item
            for item in self._candidates(lon, lat, radius_m)
            if all(value is None or item[key] == value for key, value in wanted.items())
            and distance_m(lon, lat, item["lon"], item["lat"]) <= radius_m
        ]
        return sorted(found, key=lambda item: item["bizesId"])

    def _candidates(self, lon: float, lat: float, radius_m: float) -> Iterable[dict[str, Any]]:
        d_lat = radius_m / 111_320
        d_lon = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
        for i in range(_cell(lon - d_lon), _cell(lon + d_lon) + 1):
            for j in range(_cell(lat - d_lat), _cell(lat + d_lat) + 1):
                yield from self._cell_stores(i, j)
        with self._world_lock:
            added = list(self._added)
        yield from added

    def _cell_stores(self, i: int, j: int) -> list[dict[str, Any]]:
        with self._world_lock:
            stores = self._cells.get((i, j))
            if stores is None:
                stores = self._cells[(i, j)] = self._generate_cell(i, j)
            return stores

    def _generate_cell(self, i: int, j: int) -> list[dict[str, Any]]:
        if self.density <= 0:
            return []
        rng = random.Random(f"semas:{self.seed}:{i}:{j}")
        count = rng.randint(self.density // 2, self.density + self.density // 2)
        stores = []
        for _ in range(count):
            industry = rng.choices(CATALOGUE, weights=_WEIGHTS)[0]
            lon, lat = (i + rng.random()) * CELL_DEG, (j + rng.random()) * CELL_DEG
            stores.append(_store_item(rng, industry, lon, lat))
        return stores

    # --- The API --------------------------------------------------------------------

    def _store_list_in_radius(self, request: RecordedRequest, match: Any) -> Reply:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        try:
            lon, lat, radius = (float(request.param(name) or "") for name in ("cx", "cy", "radius"))
        except ValueError:
            return self._header_only("11", "NO_MANDATORY_REQUEST_PARAMETERS_ERROR")
        if not 0 < radius <= MAX_RADIUS_M:
            return self._header_only("10", "INVALID_REQUEST_PARAMETER_ERROR")
        stores = self.stores_within(
            lon,
            lat,
            radius,
            large=request.param("indsLclsCd") or None,
            medium=request.param("indsMclsCd") or None,
            small=request.param("indsSclsCd") or None,
        )
        return self._page(request, stores)

    def _store_list_in_upjong(self, request: RecordedRequest, match: Any) -> Reply:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        div_id, key = request.param("divId"), request.param("key")
        if div_id not in ("indsLclsCd", "indsMclsCd", "indsSclsCd") or not key:
            return self._header_only("11", "NO_MANDATORY_REQUEST_PARAMETERS_ERROR")
        stores = self.stores_within(
            *self.home,
            UPJONG_RADIUS_M,
            large=key if div_id == "indsLclsCd" else None,
            medium=key if div_id == "indsMclsCd" else None,
            small=key if div_id == "indsSclsCd" else None,
        )
        return self._page(request, stores)

    def _refusal(self, request: RecordedRequest) -> Reply | None:
        key = request.param("serviceKey")
        if not key or (self.service_key is not None and key != self.service_key):
            # data.go.kr's gateway answers key problems in XML with HTTP 200, whatever ``type``.
            return Reply(
                body=(
                    "<OpenAPI_ServiceResponse><cmmMsgHeader>"
                    "<errMsg>SERVICE ERROR</errMsg>"
                    "<returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR</returnAuthMsg>"
                    "<returnReasonCode>30</returnReasonCode>"
                    "</cmmMsgHeader></OpenAPI_ServiceResponse>"
                ),
                content_type="text/xml;charset=UTF-8",
            )
        if request.param("type") != "json":
            return self._header_only(
                "10", "INVALID_REQUEST_PARAMETER_ERROR (the simulator speaks type=json only)"
            )
        return None

    def _page(self, request: RecordedRequest, stores: list[dict[str, Any]]) -> Reply:
        try:
            page_no = int(request.param("pageNo") or 1)
            rows = int(request.param("numOfRows") or 10)
        except ValueError:
            return self._header_only("10", "INVALID_REQUEST_PARAMETER_ERROR")
        if page_no < 1 or not 1 <= rows <= MAX_ROWS:
            return self._header_only("10", "INVALID_REQUEST_PARAMETER_ERROR")
        items = stores[(page_no - 1) * rows : page_no * rows]
        if not items:
            return self._header_only("03", "NODATA_ERROR")
        body = {"items": items, "numOfRows": rows, "pageNo": page_no, "totalCount": len(stores)}
        return Reply(body={"header": self._header("00", "NORMAL SERVICE."), "body": body})

    def _header_only(self, code: str, message: str) -> Reply:
        return Reply(body={"header": self._header(code, message)})

    def _header(self, code: str, message: str) -> Mapping[str, Any]:
        return {
            "description": "소상공인시장진흥공단 주요상권현황",
            "columns": list(COLUMNS),
            "stdrYm": self.stdr_ym,
            "resultCode": code,
            "resultMsg": message,
        }


def _cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEG)


def _dong_at(lon: float, lat: float) -> Dong:
    nearest = min(GAZETTEER, key=lambda dong: distance_m(lon, lat, dong.lon, dong.lat))
    if distance_m(lon, lat, nearest.lon, nearest.lat) <= NEAR_DONG_M:
        return nearest
    # Far from every known 동: a stable made-up one per ~2 km block.
    block = (_cell(lon) // 8) * 7919 + _cell(lat) // 8
    name = MADE_UP_DONGS[block % len(MADE_UP_DONGS)]
    return Dong("중구", name, name, lon, lat, ("중앙로", "시장길"))


def _store_item(rng: random.Random, industry: Industry, lon: float, lat: float) -> dict[str, Any]:
    dong = _dong_at(lon, lat)
    name = rng.choice(PREFIXES) + rng.choice(industry.stems)
    branch = f"{dong.ldong.removesuffix('동')}점" if rng.random() < 0.1 else ""
    lot, sub = rng.randint(1, 600), rng.randint(0, 40)
    return {
        "bizesId": f"MA0101{rng.randrange(10**14):014d}",
        "bizesNm": name,
        "brchNm": branch,
        "indsLclsCd": industry.large[0],
        "indsLclsNm": industry.large[1],
        "indsMclsCd": industry.medium[0],
        "indsMclsNm": industry.medium[1],
        "indsSclsCd": industry.small[0],
        "indsSclsNm": industry.small[1],
        "ksicCd": industry.ksic[0],
        "ksicNm": industry.ksic[1],
        "ctprvnNm": "서울특별시",
        "signguNm": dong.signgu,
        "adongNm": dong.adong,
        "ldongNm": dong.ldong,
        "lnoAdr": f"서울특별시 {dong.signgu} {dong.ldong} {lot}" + (f"-{sub}" if sub else ""),
        "rdnmAdr": f"서울특별시 {dong.signgu} {rng.choice(dong.roads)} {rng.randint(1, 200)}",
        "bldNm": f"{rng.choice(PREFIXES)}빌딩" if rng.random() < 0.3 else "",
        "flrNo": rng.choice(("1", "1", "1", "2", "3", "지1", "")),
        "lon": round(lon, 7),
        "lat": round(lat, 7),
    }
