"""A hand-written corpus of wrong/right pairs for the Korean copy quality gate.

Each pair is what a careful copy editor would correct (표준어 규정, 한글 맞춤법 and the
house style the gate enforces): particles after numbers, units and names as they are read
aloud, template markers left unresolved, the spacing of units after number words, the
register (해요체 for a friendly piece, 합쇼체 for a professional or premium one), ad-speak
over its limit, double passives, and figures the shop never gave.

Two tests read the corpus:

* ``test_wrong_is_repaired``: the gate turns the wrong text into the right one, and says so;
* ``test_right_is_left_alone``: every right text (the pairs' right sides and extra natural
  sentences) comes back unchanged with nothing repaired and no error.

Where the gate is wrong today, the case is marked ``xfail(strict=True)`` with what the gate
returns, so a fix shows up as an XPASS to un-mark.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from content.providers.base import Brief, ProductInfo, ShopProfile
from content.quality import ERROR, REPAIRED, WARNING, QualityContext, context_for, review_text

# --- Shops the context-dependent cases are written for ---------------------------------------

BORI = context_for(
    ShopProfile(
        name="카페 보리",
        industry="cafe",
        industry_label="카페",
        family="food_drink",
        area="서울 마포구 망원동",
        opening_hours="매일 10:00–22:00 (브레이크 타임 15:00–17:00)",
        phone="02-555-0123",
        products=(
            ProductInfo("보리 빙수", 12000, is_signature=True),
            ProductInfo("바닐라 라떼", 5500),
            ProductInfo("소금빵", 3800),
        ),
    ),
    Brief(goal="event_sale", offer="평일 빙수 10% 할인"),
)

RAON = context_for(
    ShopProfile(
        name="라온",
        industry="korean_restaurant",
        industry_label="한식당",
        family="food_drink",
        area="대구 중구 동성로",
        opening_hours="11:30–21:30 (브레이크 타임 15:00–17:00)",
        phone="053-123-4567",
        products=(
            ProductInfo("된장찌개 정식", 9000, is_signature=True),
            ProductInfo("제육볶음", 12500),
            ProductInfo("공깃밥", 1000),
        ),
    ),
    Brief(goal="event_sale", offer="평일 점심 음료 1+1"),
)

# Product names as owners type them, with a note in parentheses.
GOGI = context_for(
    ShopProfile(
        name="고기굽는집",
        industry="bbq",
        industry_label="고깃집",
        family="food_drink",
        area="서울 강남구 역삼동",
        opening_hours="17:00–24:00",
        products=(
            ProductInfo("한돈 삼겹살 (200g)", 17000, is_signature=True),
            ProductInfo("된장찌개 (1인분)", 3000),
        ),
    ),
    Brief(goal="awareness"),
)

FRIENDLY, FORMAL, PREMIUM = "friendly", "professional", "premium"


class Pair(NamedTuple):
    id: str
    wrong: str
    right: str
    tone: str = FRIENDLY
    context: QualityContext | None = None
    bug: str = ""  # the gate repairs ``wrong`` wrongly (or not at all) today
    right_bug: str = ""  # the gate changes ``right`` today


# --- Particles after numbers and units, as read aloud ------------------------------------------

NUMBERS = [
    Pair(
        "won-euro",
        "오늘은 5,000원로 즐기는 점심 세트가 있어요.",
        "오늘은 5,000원으로 즐기는 점심 세트가 있어요.",
    ),
    Pair("gae-reul", "3개을 사시면 한 개를 더 드려요.", "3개를 사시면 한 개를 더 드려요."),
    Pair("percent-reul", "전 메뉴 10%을 할인해 드려요.", "전 메뉴 10%를 할인해 드려요."),
    Pair("one-ro", "모든 수업은 1:1으로 진행해요.", "모든 수업은 1:1로 진행해요."),
    Pair("sigan-ieyo", "이번 클래스는 2시간예요.", "이번 클래스는 2시간이에요."),
    Pair("il-ro", "케이크 예약 기간을 3일으로 늘렸어요.", "케이크 예약 기간을 3일로 늘렸어요."),
    Pair("bun-ieyo", "대기 시간은 보통 30분예요.", "대기 시간은 보통 30분이에요."),
    Pair(
        "jan-eul",
        "아메리카노 5잔를 주문하시면 쿠키를 드려요.",
        "아메리카노 5잔을 주문하시면 쿠키를 드려요.",
    ),
    Pair("gram-eul", "원두 500g를 봉투에 담아 드려요.", "원두 500g을 봉투에 담아 드려요."),
    Pair(
        "ml-reul",
        "우유 대신 오트 밀크 200ml을 넣어 드려요.",
        "우유 대신 오트 밀크 200ml를 넣어 드려요.",
    ),
    Pair("kg-eul", "한돈 삼겹살 1kg를 준비했어요.", "한돈 삼겹살 1kg을 준비했어요."),
    Pair("cm-yeyo", "홀케이크 지름은 18cm이에요.", "홀케이크 지름은 18cm예요."),
    Pair(
        "man-cheon-won-euro",
        "1만 2천 원로 즐기는 점심 코스예요.",
        "1만 2천 원으로 즐기는 점심 코스예요.",
    ),
    Pair("cheung-euro", "예약하신 분은 2층로 올라오세요.", "예약하신 분은 2층으로 올라오세요."),
    Pair("gaewol-ro", "수강 기간을 3개월으로 정했어요.", "수강 기간을 3개월로 정했어요."),
    Pair("si-ro", "예약을 오후 7시으로 바꿔 드렸어요.", "예약을 오후 7시로 바꿔 드렸어요."),
    Pair("gae-yeyo", "오늘 남은 소금빵은 2개이에요.", "오늘 남은 소금빵은 2개예요."),
    Pair("percent-yeyo", "할인율은 최대 50%이에요.", "할인율은 최대 50%예요."),
    Pair("nyeon-i", "문을 연 지 벌써 1년가 됐어요.", "문을 연 지 벌써 1년이 됐어요."),
    Pair(
        "myeong-gwa", "단골손님 100명와 함께 만든 메뉴예요.", "단골손님 100명과 함께 만든 메뉴예요."
    ),
    Pair(
        "won-eul",
        "3,000원를 더하시면 라지 사이즈로 바꿔 드려요.",
        "3,000원을 더하시면 라지 사이즈로 바꿔 드려요.",
    ),
    Pair("inbun-eul", "2인분를 주문하시면 계란찜을 드려요.", "2인분을 주문하시면 계란찜을 드려요."),
    Pair("percent-ro", "할인율을 20%으로 올렸어요.", "할인율을 20%로 올렸어요."),
    Pair("wi-ro", "동네 빵집 순위 1위으로 뽑혔어요.", "동네 빵집 순위 1위로 뽑혔어요."),
    Pair("won-eun", "포장 용기 값 1,000원는 따로 받아요.", "포장 용기 값 1,000원은 따로 받아요."),
    Pair("bae-ro", "토핑 양을 1.5배으로 늘렸어요.", "토핑 양을 1.5배로 늘렸어요."),
    Pair(
        "si-eyo",
        "오픈 시간은 오전 10시에요.",
        "오픈 시간은 오전 10시예요.",
        bug="",
    ),
    Pair(
        "won-iyeyo",
        "소금빵 한 개는 3,800원이예요.",
        "소금빵 한 개는 3,800원이에요.",
        bug="",
    ),
    Pair(
        "man-won-ro-word",
        "만 원로 즐기는 든든한 점심이에요.",
        "만 원으로 즐기는 든든한 점심이에요.",
        bug="",
    ),
]

# --- Particles after names: Hangul and English, with and without a final consonant -----------

NAMES = [
    Pair("bakery-neun", "Sunny Bakery은 성수동에 있어요.", "Sunny Bakery는 성수동에 있어요."),
    Pair(
        "shop-eul", "새로 문을 연 Flower Shop를 소개해요.", "새로 문을 연 Flower Shop을 소개해요."
    ),
    Pair("bbq-reul", "주말에는 가족과 BBQ을 즐겨 보세요.", "주말에는 가족과 BBQ를 즐겨 보세요."),
    Pair(
        "coffee-neun",
        "Blue Coffee은 핸드드립 전문점이에요.",
        "Blue Coffee는 핸드드립 전문점이에요.",
    ),
    Pair(
        "hotel-ro",
        "이번 팝업은 Grand Hotel으로 자리를 옮겨요.",
        "이번 팝업은 Grand Hotel로 자리를 옮겨요.",
    ),
    Pair(
        "kitchen-eul",
        "Mom's Kitchen를 찾아 주셔서 감사합니다.",
        "Mom's Kitchen을 찾아 주셔서 감사합니다.",
    ),
    Pair("bloom-i", "네일 Bloom가 봄 디자인을 준비했어요.", "네일 Bloom이 봄 디자인을 준비했어요."),
    Pair("sns-reul", "SNS을 팔로우하시면 쿠키를 드려요.", "SNS를 팔로우하시면 쿠키를 드려요."),
    Pair(
        "ktx-ro", "부산역에서 KTX으로 오시는 분도 많아요.", "부산역에서 KTX로 오시는 분도 많아요."
    ),
    Pair(
        "butter-neun", "Bread & Butter은 성수동 빵집이에요.", "Bread & Butter는 성수동 빵집이에요."
    ),
    Pair(
        "studio7-eun",
        "Studio 7는 프로필 촬영 전문 사진관입니다.",
        "Studio 7은 프로필 촬영 전문 사진관입니다.",
        PREMIUM,
    ),
    Pair(
        "book-eun",
        "BOOK는 동명동의 작은 독립 서점입니다.",
        "BOOK은 동명동의 작은 독립 서점입니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "lab-euro",
        "이번 주말엔 Coffee Lab로 놀러 오세요.",
        "이번 주말엔 Coffee Lab으로 놀러 오세요.",
        bug="",
    ),
    Pair(
        "croissant-eul",
        "버터 향 가득한 Croissant를 구웠어요.",
        "버터 향 가득한 Croissant을 구웠어요.",
        bug="Croissant is read 크루아상 (ㅇ), but words ending in -t are 'not sure', so "
        "Croissant를 is left as it is",
    ),
    # Names from the shop's profile.
    Pair("bori-yeyo", "망원동 카페 보리이에요.", "망원동 카페 보리예요.", context=BORI),
    Pair(
        "bori-neun",
        "카페 보리은 망원시장 옆에 있어요.",
        "카페 보리는 망원시장 옆에 있어요.",
        context=BORI,
    ),
    Pair(
        "bori-bingsu-reul",
        "여름에는 보리 빙수을 찾는 분이 많아요.",
        "여름에는 보리 빙수를 찾는 분이 많아요.",
        context=BORI,
    ),
    Pair(
        "bori-ro",
        "더운 날엔 카페 보리으로 피서 오세요.",
        "더운 날엔 카페 보리로 피서 오세요.",
        context=BORI,
    ),
    Pair("raon-ieyo", "동성로 한식당, 라온예요.", "동성로 한식당, 라온이에요.", context=RAON),
    Pair(
        "raon-eul", "라온를 찾아 주셔서 감사합니다.", "라온을 찾아 주셔서 감사합니다.", context=RAON
    ),
    Pair(
        "raon-i", "라온가 문을 연 지 3년이 됐어요.", "라온이 문을 연 지 3년이 됐어요.", context=RAON
    ),
    Pair(
        "jeyuk-i",
        "점심에는 제육볶음가 가장 많이 나가요.",
        "점심에는 제육볶음이 가장 많이 나가요.",
        context=RAON,
    ),
    Pair(
        "jeongsik-euro",
        "오늘 점심은 된장찌개 정식로 드셔 보세요.",
        "오늘 점심은 된장찌개 정식으로 드셔 보세요.",
        context=RAON,
    ),
    Pair(
        "samgyeopsal-paren-eul",
        "한돈 삼겹살 (200g)를 주문하시면 된장찌개를 드려요.",
        "한돈 삼겹살 (200g)을 주문하시면 된장찌개를 드려요.",
        context=GOGI,
        bug="",
    ),
    Pair(
        "raon-iyeyo",
        "동성로 한식당, 라온이예요.",
        "동성로 한식당, 라온이에요.",
        context=RAON,
        bug="",
    ),
    # The same names with no profile: a Hangul syllable with a final consonant never takes
    # 예요, nor one without a final consonant 이에요.
    Pair(
        "raon-ieyo-no-context",
        "저희 가게 이름은 라온예요.",
        "저희 가게 이름은 라온이에요.",
        bug="",
    ),
    Pair(
        "bori-yeyo-no-context",
        "저희 가게 이름은 카페 보리이에요.",
        "저희 가게 이름은 카페 보리예요.",
        bug="without the shop's name in the context, 이에요 after a Hangul word ending in a "
        "vowel (리) is not checked",
    ),
]

# --- Markers a template left unresolved ------------------------------------------------------

MARKERS = [
    Pair(
        "marker-eul",
        "소금빵(을)를 주문하시면 음료를 할인해 드려요.",
        "소금빵을 주문하시면 음료를 할인해 드려요.",
    ),
    Pair("marker-neun", "카페 온기(은)는 연남동에 있어요.", "카페 온기는 연남동에 있어요."),
    Pair("marker-euro-won", "12,000원(으)로 즐기는 코스예요.", "12,000원으로 즐기는 코스예요."),
    Pair(
        "marker-ro-vowel",
        "바닐라 라떼(으)로 하루를 시작해 보세요.",
        "바닐라 라떼로 하루를 시작해 보세요.",
    ),
    Pair("marker-ga", "된장찌개(이)가 보글보글 끓고 있어요.", "된장찌개가 보글보글 끓고 있어요."),
    Pair("marker-i", "제육볶음(이)가 제일 잘 나가요.", "제육볶음이 제일 잘 나가요."),
    Pair(
        "marker-reversed-reul", "케이크을(를) 미리 예약해 주세요.", "케이크를 미리 예약해 주세요."
    ),
    Pair("marker-reversed-ga", "새 원두이(가) 들어왔어요.", "새 원두가 들어왔어요."),
    Pair("marker-reversed-eun", "빵은(는) 매일 아침 구워요.", "빵은 매일 아침 구워요."),
    Pair(
        "marker-english",
        "Sunny Bakery(은)는 매일 아침 문을 열어요.",
        "Sunny Bakery는 매일 아침 문을 열어요.",
    ),
    Pair("marker-hour", "오후 3시(으)로 예약해 드릴게요.", "오후 3시로 예약해 드릴게요."),
    Pair("marker-ieyo", "동성로 한식당 라온(이)에요.", "동성로 한식당 라온이에요."),
    Pair("marker-yeyo", "망원동 카페 보리(이)에요.", "망원동 카페 보리예요."),
    Pair(
        "marker-slash",
        "소금빵을/를 주문하시면 음료를 할인해 드려요.",
        "소금빵을 주문하시면 음료를 할인해 드려요.",
        bug="",
    ),
]

# --- Units after number words stand apart (한글 맞춤법 제43항) ---------------------------------

SPACING = [
    Pair("han-gae", "소금빵 한개를 더 드려요.", "소금빵 한 개를 더 드려요."),
    Pair(
        "du-jan",
        "아메리카노 두잔을 주문하시면 쿠키를 드려요.",
        "아메리카노 두 잔을 주문하시면 쿠키를 드려요.",
    ),
    Pair(
        "se-myeong",
        "세명이 오시면 디저트를 서비스로 드려요.",
        "세 명이 오시면 디저트를 서비스로 드려요.",
    ),
    Pair("man-won", "만원으로 즐기는 브런치예요.", "만 원으로 즐기는 브런치예요."),
    Pair("cheon-won", "5천원 할인 쿠폰을 드려요.", "5천 원 할인 쿠폰을 드려요."),
    Pair("ne-gaji", "네가지 맛 중에서 골라 보세요.", "네 가지 맛 중에서 골라 보세요."),
    Pair("han-dal", "이벤트는 한달 동안 진행해요.", "이벤트는 한 달 동안 진행해요."),
    Pair("du-sigan", "두시간 코스로 준비했어요.", "두 시간 코스로 준비했어요."),
    Pair("man-won-dae", "1만원대 선물 세트를 준비했어요.", "1만 원대 선물 세트를 준비했어요."),
    Pair("yeol-myeong", "열명까지 단체 예약을 받아요.", "열 명까지 단체 예약을 받아요."),
    Pair("man-won-jjari", "3만원짜리 꽃다발도 있어요.", "3만 원짜리 꽃다발도 있어요."),
    Pair("myeot-gae", "몇개 남지 않았어요.", "몇 개 남지 않았어요."),
    Pair(
        "han-jan-counted",
        "아메리카노 한잔을 사시면 쿠키를 드려요.",
        "아메리카노 한 잔을 사시면 쿠키를 드려요.",
        bug="",
    ),
    Pair(
        "yeol-bun-kke",
        "선착순 열분께 쿠키를 드려요.",
        "선착순 열 분께 쿠키를 드려요.",
        bug="",
    ),
    Pair(
        "man-won-gwon",
        "추첨으로 5만원권 상품권을 드려요.",
        "추첨으로 5만 원권 상품권을 드려요.",
        bug="",
    ),
    Pair(
        "se-beon",
        "세번 방문하시면 음료 한 잔을 드려요.",
        "세 번 방문하시면 음료 한 잔을 드려요.",
        bug="",
    ),
    Pair(
        "ocheon-won",
        "오천원 할인 쿠폰을 드려요.",
        "오천 원 할인 쿠폰을 드려요.",
        bug="",
    ),
]

# --- Register ----------------------------------------------------------------------------------

TO_HAEYO = [
    Pair("masitda", "오늘 구운 소금빵이 정말 맛있습니다.", "오늘 구운 소금빵이 정말 맛있어요."),
    Pair("junbi", "겨울 한정 메뉴를 준비했습니다.", "겨울 한정 메뉴를 준비했어요."),
    Pair(
        "ipnida-consonant", "이번 주 추천 메뉴는 소금빵입니다.", "이번 주 추천 메뉴는 소금빵이에요."
    ),
    Pair(
        "ipnida-vowel",
        "이번 주 추천 메뉴는 바닐라 라떼입니다.",
        "이번 주 추천 메뉴는 바닐라 라떼예요.",
    ),
    Pair("jusipsio", "주말에도 많이 방문해 주십시오.", "주말에도 많이 방문해 주세요."),
    Pair("osipsio", "부담 없이 편하게 오십시오.", "부담 없이 편하게 오세요."),
    Pair("gupnida", "매일 아침 직접 빵을 굽습니다.", "매일 아침 직접 빵을 구워요."),
    Pair(
        "mandeupnida", "모든 소스는 매장에서 직접 만듭니다.", "모든 소스는 매장에서 직접 만들어요."
    ),
    Pair("dareupnida", "재료부터 확실히 다릅니다.", "재료부터 확실히 달라요."),
    Pair("doepnida", "예약은 전화로 하시면 됩니다.", "예약은 전화로 하시면 돼요."),
    Pair("swipnida", "매주 월요일은 쉽니다.", "매주 월요일은 쉬어요."),
    Pair("yeppeupnida", "꽃다발 색감이 참 예쁩니다.", "꽃다발 색감이 참 예뻐요."),
    Pair("english-ipnida", "안녕하세요, Bread & Butter입니다.", "안녕하세요, Bread & Butter예요."),
    Pair("won-ipnida", "포장 용기는 개당 1,000원입니다.", "포장 용기는 개당 1,000원이에요."),
    Pair("percent-ipnida", "이번 주 할인율은 10%입니다.", "이번 주 할인율은 10%예요."),
    Pair("ttatteut", "창가 자리가 햇살 덕분에 따뜻합니다.", "창가 자리가 햇살 덕분에 따뜻해요."),
    Pair(
        "set-phrase-kept",
        "오늘도 찾아 주셔서 감사합니다. 내일도 같은 시간에 문을 엽니다.",
        "오늘도 찾아 주셔서 감사합니다. 내일도 같은 시간에 문을 열어요.",
    ),
    Pair(
        "quote-kept-haeyo",
        "'재료가 다릅니다'라는 말을 자주 들었습니다.",
        "'재료가 다릅니다'라는 말을 자주 들었어요.",
    ),
    Pair(
        "anipnida",
        "저희 빵은 냉동 생지가 아닙니다.",
        "저희 빵은 냉동 생지가 아니에요.",
        bug="",
    ),
    Pair(
        "sipnikka-question",
        "소금빵을 좋아하십니까?",
        "소금빵을 좋아하세요?",
        bug="",
    ),
]

TO_HAPSYO = [
    Pair(
        "joayo", "볼륨 매직 후에도 머릿결이 좋아요.", "볼륨 매직 후에도 머릿결이 좋습니다.", FORMAL
    ),
    Pair(
        "deurilgeyo",
        "상담 후 어울리는 스타일을 추천해 드릴게요.",
        "상담 후 어울리는 스타일을 추천해 드리겠습니다.",
        FORMAL,
    ),
    Pair("gyesyeonnayo", "그동안 잘 계셨나요?", "그동안 잘 계셨습니까?", FORMAL),
    Pair(
        "junbihaesseoyo",
        "새 시즌 프로그램을 준비했어요.",
        "새 시즌 프로그램을 준비했습니다.",
        FORMAL,
    ),
    Pair(
        "yeyo-ipnida",
        "저희는 정자동의 바른 필라테스예요.",
        "저희는 정자동의 바른 필라테스입니다.",
        FORMAL,
    ),
    Pair("ieyo-ipnida", "정원 4명의 소수 수업이에요.", "정원 4명의 소수 수업입니다.", FORMAL),
    Pair("anayo", "무리한 동작은 하지 않아요.", "무리한 동작은 하지 않습니다.", FORMAL),
    Pair(
        "dowadeuryeoyo",
        "촬영 전 메이크업도 도와드려요.",
        "촬영 전 메이크업도 도와드립니다.",
        PREMIUM,
    ),
    Pair("gakkawoyo", "매장은 정자역에서 가까워요.", "매장은 정자역에서 가깝습니다.", FORMAL),
    Pair(
        "isseoyo",
        "예약은 온라인으로도 하실 수 있어요.",
        "예약은 온라인으로도 하실 수 있습니다.",
        FORMAL,
    ),
    Pair("wonhasinayo", "어떤 스타일을 원하시나요?", "어떤 스타일을 원하십니까?", PREMIUM),
    Pair("magamdwaesseoyo", "이번 달 예약은 마감됐어요.", "이번 달 예약은 마감됐습니다.", FORMAL),
    Pair("sigan-ieyo-formal", "시술 시간은 2시간이에요.", "시술 시간은 2시간입니다.", PREMIUM),
    Pair(
        "jayeonseureowoyo",
        "볼륨 매직 후에도 컬이 자연스러워요.",
        "볼륨 매직 후에도 컬이 자연스럽습니다.",
        PREMIUM,
    ),
    Pair(
        "geoyeyo",
        "처음 오셔도 금방 익숙해지실 거예요.",
        "처음 오셔도 금방 익숙해지실 겁니다.",
        FORMAL,
    ),
    Pair(
        "quote-kept-hapsyo",
        "'정말 맛있어요'라는 후기를 많이 받았어요.",
        "'정말 맛있어요'라는 후기를 많이 받았습니다.",
        FORMAL,
    ),
    Pair(
        "seyo-kkayo-kept",
        "새 컬렉션을 함께 보실까요? 편하게 문의하세요. 예약은 문자로 받아요.",
        "새 컬렉션을 함께 보실까요? 편하게 문의하세요. 예약은 문자로 받습니다.",
        PREMIUM,
    ),
    Pair(
        "mandeulgeyo",
        "주문이 들어오면 바로 만들게요.",
        "주문이 들어오면 바로 만들겠습니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "baewoyo",
        "기초부터 차근차근 배워요.",
        "기초부터 차근차근 배웁니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "gowayo",
        "꽃잎 색이 참 고와요.",
        "꽃잎 색이 참 곱습니다.",
        PREMIUM,
        bug="",
    ),
    Pair(
        "noun-jyo",
        "가장 인기 있는 메뉴죠.",
        "가장 인기 있는 메뉴입니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "kkeunnayo",
        "이벤트는 이번 주 일요일에 끝나요.",
        "이벤트는 이번 주 일요일에 끝납니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "deulleoyo",
        "출근길에 많은 분이 들러요.",
        "출근길에 많은 분이 들릅니다.",
        FORMAL,
        bug="",
    ),
    Pair(
        "jieoyo",
        "매일 가마솥에 밥을 지어요.",
        "매일 가마솥에 밥을 짓습니다.",
        FORMAL,
        bug="지어요 (짓다, ㅅ-irregular) becomes 집니다 (지다)",
    ),
    Pair(
        "deureoyo-listen",
        "상담 전에 고객님의 고민을 충분히 들어요.",
        "상담 전에 고객님의 고민을 충분히 듣습니다.",
        FORMAL,
        bug="",
    ),
]

# --- Clichés over their limit and 번역투 ------------------------------------------------------

STYLE = [
    Pair(
        "perfect-experience",
        "카페 온기에서 완벽한 경험을 누려 보세요.",
        "카페 온기에서 좋은 시간을 누려 보세요.",
    ),
    Pair(
        "perfect",
        "바리스타가 정성껏 완벽한 한 잔을 내려 드려요.",
        "바리스타가 정성껏 한 잔을 내려 드려요.",
    ),
    Pair(
        "unforgettable",
        "연말을 맞아 잊지 못할 코스를 준비했어요.",
        "연말을 맞아 코스를 준비했어요.",
    ),
    Pair("legendary", "이번 주 역대급 할인이 시작돼요.", "이번 주 할인이 시작돼요."),
    Pair("strongly", "딸기 케이크를 강력 추천해요.", "딸기 케이크를 추천해요."),
    Pair("all-ages", "남녀노소 누구나 좋아하는 맛이에요.", "누구나 좋아하는 맛이에요."),
    Pair("really-really", "정말 정말 부드러워요.", "정말 부드러워요."),
    Pair("so-so", "너무너무 고소해요.", "정말 고소해요."),
    Pair(
        "five-senses", "오감 만족 디저트 플레이트예요. 이번 주말에 만나요.", "이번 주말에 만나요."
    ),
    Pair("hurry", "수량이 한정돼 있어요. 서두르세요!", "수량이 한정돼 있어요."),
    Pair("doeeoji", "매일 아침 새로 준비되어지는 빵이에요.", "매일 아침 새로 준비되는 빵이에요."),
    Pair("boyeoji", "창가에서 보여지는 풍경이 예뻐요.", "창가에서 보이는 풍경이 예뻐요."),
    Pair(
        "doeeoji-formal",
        "모든 시술은 상담 후에 진행되어지는 점 참고해 주세요.",
        "모든 시술은 상담 후에 진행되는 점 참고해 주세요.",
        FORMAL,
    ),
    Pair(
        "best-twice",
        "최고의 재료로 최고의 맛을 내요.",
        "최고의 재료로 맛을 내요.",
        bug="",
    ),
    Pair(
        "special-loanword",
        "이번 주말에만 스페셜한 디저트를 준비했어요.",
        "이번 주말에만 특별한 디저트를 준비했어요.",
    ),
    Pair(
        "unique-loanword",
        "손님마다 유니크한 디자인으로 해 드려요.",
        "손님마다 독특한 디자인으로 해 드려요.",
    ),
    Pair(
        "doeeojin",
        "정성껏 준비되어진 코스예요.",
        "정성껏 준비된 코스예요.",
        bug="",
    ),
    Pair(
        "ithyeoji",
        "오래도록 잊혀지지 않는 맛이에요.",
        "오래도록 잊히지 않는 맛이에요.",
        bug="",
    ),
]

# --- Figures the shop never gave ------------------------------------------------------------

FACTS = [
    Pair(
        "price",
        "보리 빙수는 12,000원이에요. 오늘만 9,900원에 드려요.",
        "보리 빙수는 12,000원이에요.",
        context=BORI,
    ),
    Pair(
        "price-other-spelling-kept",
        "보리 빙수는 1만 2천 원이에요. 바닐라 라떼는 4,500원이에요.",
        "보리 빙수는 1만 2천 원이에요.",
        context=BORI,
    ),
    Pair(
        "hour",
        "오후 3시부터 5시까지는 브레이크 타임이에요. 저녁 8시에는 라이브 공연이 있어요.",
        "오후 3시부터 5시까지는 브레이크 타임이에요.",
        context=BORI,
    ),
    Pair(
        "phone",
        "전화 예약은 02-555-0123으로 받아요. 단체 문의는 010-1234-5678로 주세요.",
        "전화 예약은 02-555-0123으로 받아요.",
        context=BORI,
    ),
    Pair(
        "percent",
        "평일에는 빙수를 10% 할인해 드려요. 주말에는 30% 할인해 드려요.",
        "평일에는 빙수를 10% 할인해 드려요.",
        context=BORI,
    ),
    Pair(
        "bundle",
        "바닐라 라떼 1+1 행사를 해요. 창가 자리가 햇살 덕분에 따뜻해요.",
        "창가 자리가 햇살 덕분에 따뜻해요.",
        context=BORI,
    ),
    Pair(
        "price-formal",
        "보리 빙수는 12,000원입니다. 단체 주문 시 15% 할인해 드립니다.",
        "보리 빙수는 12,000원입니다.",
        FORMAL,
        context=BORI,
    ),
    Pair(
        "price-known-elsewhere",
        "제육볶음은 12,500원이에요. 공깃밥은 2,000원이에요.",
        "제육볶음은 12,500원이에요.",
        context=RAON,
    ),
    Pair(
        "hour-clock",
        "매일 오전 10시에 문을 열어요. 밤 11시까지 기다릴게요.",
        "매일 오전 10시에 문을 열어요.",
        context=BORI,
    ),
    Pair(
        "two-figures-one-sentence",
        "소금빵은 3,800원, 크루아상은 4,200원이에요. 매일 아침 구워요.",
        "매일 아침 구워요.",
        context=BORI,
    ),
]

PAIRS = NUMBERS + NAMES + MARKERS + SPACING + TO_HAEYO + TO_HAPSYO + STYLE + FACTS


class Right(NamedTuple):
    id: str
    text: str
    tone: str = FRIENDLY
    context: QualityContext | None = None
    bug: str = ""  # the gate changes this text today
    warnings: tuple[str, ...] = ()  # rules whose warnings are tolerated here (with why)


# Natural, correct copy in both registers; the gate must leave each as it is.
EXTRA_RIGHTS = [
    # 해요체
    Right("r-salt-bread", "오늘 아침에 구운 소금빵 30개가 준비돼 있어요."),
    Right("r-discount", "아메리카노를 10% 할인해 드려요."),
    Right("r-set", "2인 세트는 커피 두 잔과 케이크 한 조각으로 구성돼요."),
    Right("r-wait", "주말에는 1시간쯤 기다리실 수 있어요."),
    Right("r-hanbeon-adverb", "한번 드셔 보시면 단골이 되실 거예요."),
    Right("r-hanjan-verb", "퇴근길에 가볍게 한잔하러 오세요."),
    Right("r-hanjan-haeyo", "오늘 저녁엔 동네 친구들과 가볍게 한잔해요."),
    Right("r-beans", "원두 200g을 사시면 드립백 세 개를 드려요."),
    Right("r-sns", "SNS로 예약하시면 창가 자리를 잡아 드려요."),
    Right("r-packaging", "포장 용기는 1,000원이 추가돼요."),
    Right("r-sip-euro", "소수 수업을 위해 정원을 12에서 10으로 줄였어요."),
    Right("r-cake", "홀케이크는 3일 전까지 예약해 주세요."),
    Right("r-question", "처음 오셨나요? 편하게 둘러보세요."),
    Right("r-quote", "'인생 빵집'이라는 후기를 받았어요."),
    Right("r-thanks", "오늘도 찾아 주셔서 감사합니다."),
    Right("r-ml", "오트 밀크 200ml를 넣어 드려요."),
    Right("r-bbq", "BBQ 플래터는 4인분이에요."),
    Right("r-coffee-shop", "성수동에 작은 Coffee Shop을 열었어요."),
    Right("r-ktx", "KTX역에서 걸어서 5분이면 도착해요."),
    Right("r-kg", "원두 1kg을 사시면 머그잔을 드려요."),
    Right("r-stamps", "스탬프 10개를 모으시면 음료 한 잔을 드려요."),
    Right("r-two-people", "저녁에는 두 명이서 오시는 분이 많아요."),
    Right("r-five-cups", "음료 5잔을 주문하시면 한 잔을 더 드려요."),
    Right(
        "r-hangot",
        "식사와 디저트를 한곳에서 즐길 수 있어요.",
        bug="",
    ),
    Right(
        "r-newspaper-page",
        "지역 신문 1면 기사로 소개됐어요.",
        bug="",
    ),
    Right(
        "r-kpop",
        "매장에서는 K-POP을 틀어 놓아요.",
        bug="",
    ),
    Right(
        "r-flower-shop-caps",
        "망원동 FLOWER SHOP을 찾아 주세요.",
        bug="",
    ),
    # 합쇼체
    Right("f-closed", "저희 매장은 매주 월요일에 쉽니다.", FORMAL),
    Right("f-reservation", "상담은 예약제로 운영합니다.", FORMAL),
    Right("f-duration", "볼륨 매직은 2시간 정도 걸립니다.", PREMIUM),
    Right("f-small-class", "수업은 4명까지 소수로 진행합니다.", FORMAL),
    Right("f-schedule", "자세한 일정은 프로필 링크에서 확인하실 수 있습니다.", FORMAL),
    Right("f-quote", "'머릿결이 달라졌어요'라는 말을 자주 듣습니다.", PREMIUM),
    Right("f-seyo", "예약은 언제든 편하게 문의하세요.", FORMAL),
    Right("f-kkayo", "이번 주말, 새 컬렉션을 함께 보실까요?", PREMIUM),
    Right("f-studio", "Studio 7은 프로필 촬영을 전문으로 합니다.", PREMIUM),
    Right("f-one-to-one", "체형 분석은 1:1로 진행합니다.", FORMAL),
    Right("f-promise", "고객님 한 분 한 분께 맞춘 관리를 약속드립니다.", PREMIUM),
    Right("f-thanks", "방문해 주셔서 감사합니다.", FORMAL),
    Right("f-photo", "프로필 촬영은 약 1시간이 걸리며, 보정본은 3일 안에 보내 드립니다.", PREMIUM),
    Right(
        "f-noun-line",
        "주말 체험 수업을 엽니다.\n· 수업 시간: 50분\n· 사전 예약 필요",
        FORMAL,
        bug="",
    ),
    # With the shop's data: its own figures, in any spelling.
    Right("c-price-words", "보리 빙수는 1만 2천 원이에요.", context=BORI),
    Right("c-price-digits", "보리 빙수는 12,000원이에요. 팥을 듬뿍 올렸어요.", context=BORI),
    Right("c-break", "브레이크 타임은 오후 3시부터 5시까지예요.", context=BORI),
    Right("c-clock", "매일 10:00부터 22:00까지 문을 열어요.", context=BORI),
    Right("c-phone", "전화 예약은 02-555-0123으로 받아요.", context=BORI),
    Right("c-offer", "평일에는 보리 빙수를 10% 할인해 드려요.", context=BORI),
    Right(
        "c-formal-hours",
        "보리 빙수는 12,000원입니다. 매일 오전 10시부터 밤 10시까지 문을 엽니다.",
        FORMAL,
        context=BORI,
    ),
    Right("c-bori-neun", "카페 보리는 망원시장 옆에 있어요.", context=BORI),
    Right("c-raon-break", "오후 3시부터 5시까지는 브레이크 타임이에요.", context=RAON),
    Right("c-raon-price", "된장찌개 정식은 9천 원이에요. 공깃밥은 1,000원이에요.", context=RAON),
    Right("c-raon-bundle", "평일 점심에는 음료 1+1 행사를 해요.", context=RAON),
    Right(
        "c-raon-formal",
        "라온은 동성로에 있는 한식당입니다. 제육볶음은 12,500원입니다.",
        FORMAL,
        context=RAON,
    ),
    Right(
        "c-paren-name",
        "삼겹살을 주문하시면 된장찌개 (1인분)를 서비스로 드려요.",
        context=GOGI,
        bug="",
    ),
]


def _xfail(reason: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _pair_params() -> list:
    return [
        pytest.param(p.wrong, p.right, p.tone, p.context, id=p.id, marks=_xfail(p.bug))
        for p in PAIRS
    ]


def _right_params() -> list:
    rights = [
        Right(f"{p.id}:right", p.right, p.tone, p.context, bug=p.right_bug) for p in PAIRS
    ] + EXTRA_RIGHTS
    return [
        pytest.param(r.text, r.tone, r.context, r.warnings, id=r.id, marks=_xfail(r.bug))
        for r in rights
    ]


def test_the_corpus_is_large_enough_and_unique():
    assert len(PAIRS) >= 80
    assert len({p.id for p in PAIRS}) == len(PAIRS)
    assert len({r.id for r in EXTRA_RIGHTS}) == len(EXTRA_RIGHTS)
    assert len(EXTRA_RIGHTS) >= 30
    for pair in PAIRS:
        assert pair.wrong != pair.right, pair.id


@pytest.mark.parametrize(("wrong", "right", "tone", "context"), _pair_params())
def test_wrong_is_repaired(wrong, right, tone, context):
    repaired, findings = review_text(wrong, context, tone=tone)

    assert repaired == right
    assert any(f.severity == REPAIRED for f in findings), findings
    assert not [f for f in findings if f.severity == ERROR]


@pytest.mark.parametrize(("text", "tone", "context", "tolerated"), _right_params())
def test_right_is_left_alone(text, tone, context, tolerated):
    reviewed, findings = review_text(text, context, tone=tone)

    assert reviewed == text
    assert not [f for f in findings if f.severity in (REPAIRED, ERROR)]
    assert not [f for f in findings if f.severity == WARNING and f.rule not in tolerated]


def test_an_invented_figure_in_the_only_sentence_is_an_error():
    """With no other sentence to keep, the sentence stays and the writer is asked to fix it."""
    text = "오늘만 보리 빙수를 9,900원에 드려요."

    reviewed, findings = review_text(text, BORI)

    assert reviewed == text
    assert [(f.rule, f.severity) for f in findings] == [("invented_fact", ERROR)]
