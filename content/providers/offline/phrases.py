"""Phrase banks for the offline writer (its grammar is content.korean's, shared with the
quality gate).

Templates are written in 해요체 with named slots (``{shop}``, ``{item}``…) and josa
markers after a slot (``{shop}(은)는``, ``{item}(을)를``, ``{place}(으)로``) that
``attach_josa`` resolves once the slot is filled. ``formal`` turns the 해요체 endings
used here into 습니다체 for the professional and premium tones, so every sentence
below sticks to endings it knows (있어요, 해요, 드릴게요, 이에요…).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Families and industries -------------------------------------------------------------


@dataclass(frozen=True)
class FamilyWords:
    word: str  # what the shop is called when the industry is unknown
    noun: str  # what it sells
    new_thing: str
    try_it: str
    tried: str
    moment_need: str
    fallback_item: str
    points: tuple[str, ...]  # selling points when the owner gave none
    photo: str  # what the main photo shows
    space: tuple[str, ...]  # the blog's atmosphere paragraph
    emoji: tuple[str, ...]


FAMILIES: dict[str, FamilyWords] = {
    "food_drink": FamilyWords(
        "식당",
        "메뉴",
        "신메뉴",
        "드셔 보세요",
        "안 드셔 보셨어요",
        "출출할 때",
        "대표 메뉴",
        ("매일 아침 직접 준비하는 재료", "부담 없이 즐기는 가격", "편하게 머물 수 있는 분위기"),
        "갓 나온 {item}(이)가 담긴 테이블",
        (
            "혼자 와도, 여럿이 와도 편하게 머물 수 있도록 자리 간격을 넉넉하게 두었어요.",
            "주문이 들어오면 그때그때 준비해서, 가장 맛있을 때 내어 드리려고 해요.",
            "조명은 조금 낮추고 음악은 잔잔하게, 대화가 잘 들리는 공간이에요.",
        ),
        ("😋", "🍽", "✨", "💛", "🙌", "👍"),
    ),
    "beauty": FamilyWords(
        "뷰티숍",
        "시술",
        "신규 시술",
        "받아 보세요",
        "안 받아 보셨어요",
        "기분 전환이 필요할 때",
        "대표 시술",
        ("시술 전 꼼꼼한 1:1 상담", "편안하게 쉬다 가는 분위기", "손님마다 다른 맞춤 디자인"),
        "시술을 마친 뒤의 자연스러운 모습",
        (
            "시술 전에는 꼭 충분히 이야기를 나누고, 원하시는 분위기를 함께 정해요.",
            "한 분 한 분 예약제로 운영해서, 기다림 없이 편하게 받으실 수 있어요.",
            "사용하는 제품과 도구는 매번 깨끗하게 관리하고 있어요.",
        ),
        ("✨", "💖", "🌿", "😊", "💫", "🙌"),
    ),
    "retail": FamilyWords(
        "가게",
        "상품",
        "신상품",
        "구경해 보세요",
        "못 보셨어요",
        "선물 고민될 때",
        "대표 상품",
        ("사장님이 직접 고른 상품", "친절하고 자세한 안내", "부담 없는 가격"),
        "매대에 가지런히 놓인 {item}",
        (
            "들어서면 천천히 둘러보실 수 있도록 진열을 여유 있게 해 두었어요.",
            "하나하나 직접 써 보고 고른 것들만 들여놓고 있어요.",
            "선물하실 거라고 말씀해 주시면 포장도 정성껏 해 드려요.",
        ),
        ("🛍", "🎁", "✨", "💛", "😊", "👍"),
    ),
    "fitness_education": FamilyWords(
        "스튜디오",
        "수업",
        "새 수업",
        "체험해 보세요",
        "안 들어 보셨어요",
        "새로운 걸 시작하고 싶을 때",
        "대표 수업",
        ("소수 정원 수업", "한 사람 한 사람 맞춘 피드백", "깨끗하게 관리하는 공간"),
        "수업이 한창인 밝은 실내",
        (
            "정원을 적게 잡아서 수업 중에도 한 분 한 분 자세히 봐 드릴 수 있어요.",
            "처음 오시는 분도 부담 없도록 기초부터 차근차근 안내해 드려요.",
            "운동이 처음이어도 괜찮아요. 몸 상태부터 함께 살피고 시작해요.",
            "수업 공간은 매 시간 환기하고 정리해서 늘 쾌적하게 유지해요.",
        ),
        ("💪", "🔥", "✨", "🙌", "😊", "👍"),
    ),
    "services": FamilyWords(
        "가게",
        "서비스",
        "새 서비스",
        "맡겨 보세요",
        "안 맡겨 보셨어요",
        "손볼 일이 생겼을 때",
        "대표 서비스",
        ("꼼꼼한 작업", "약속한 날짜를 지키는 일처리", "친절한 안내"),
        "작업대 위에서 정성껏 손보는 모습",
        (
            "맡겨 주신 물건은 하나하나 상태를 확인하고 꼼꼼히 기록해요.",
            "작업 전에 예상 기간과 비용을 먼저 말씀드려서 걱정 없게 해 드려요.",
            "급한 일이라면 미리 연락 주세요. 최대한 맞춰 드릴게요.",
        ),
        ("🙌", "✨", "😊", "👍", "💛", "📌"),
    ),
}

# code -> (what people search for, related search words, a fitting emoji)
INDUSTRIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "cafe": ("카페", ("디저트", "커피"), "☕"),
    "bakery": ("빵집", ("베이커리", "빵"), "🥐"),
    "dessert": ("디저트", ("디저트카페", "케이크"), "🍰"),
    "korean_restaurant": ("한식", ("밥집", "맛집"), "🍚"),
    "snack_bar": ("분식", ("떡볶이", "맛집"), "🍢"),
    "chicken": ("치킨", ("치킨맛집", "배달"), "🍗"),
    "bbq": ("고깃집", ("고기맛집", "회식"), "🥩"),
    "pub": ("술집", ("이자카야", "호프"), "🍺"),
    "japanese_restaurant": ("일식", ("초밥", "맛집"), "🍣"),
    "chinese_restaurant": ("중식", ("중국집", "맛집"), "🥟"),
    "western_restaurant": ("브런치", ("파스타", "양식"), "🍝"),
    "hair_salon": ("미용실", ("헤어", "펌"), "💇"),
    "nail_salon": ("네일", ("네일아트", "젤네일"), "💅"),
    "skin_care": ("피부관리", ("에스테틱", "피부관리실"), "🧴"),
    "barbershop": ("바버샵", ("남자머리", "이발소"), "💈"),
    "flower_shop": ("꽃집", ("꽃다발", "플라워"), "💐"),
    "clothing": ("옷가게", ("데일리룩", "옷쇼핑"), "👗"),
    "stationery_gift": ("소품샵", ("문구점", "선물"), "🎁"),
    "grocery": ("반찬가게", ("반찬", "식료품"), "🥬"),
    "pet_shop": ("애견샵", ("애견미용", "반려동물"), "🐶"),
    "fitness": ("헬스장", ("PT", "운동"), "💪"),
    "pilates_yoga": ("필라테스", ("요가", "운동"), "🧘"),
    "academy": ("학원", ("공부방", "교육"), "📚"),
    "hobby_class": ("공방", ("원데이클래스", "취미"), "🎨"),
    "laundry": ("세탁소", ("세탁", "수선"), "👔"),
    "photo_studio": ("사진관", ("프로필사진", "증명사진"), "📸"),
    "repair": ("수리점", ("수리", "수선"), "🔧"),
}

FAMILY_TAGS: dict[str, tuple[str, ...]] = {
    "food_drink": ("맛집추천", "오늘뭐먹지", "동네맛집", "먹스타그램"),
    "beauty": ("뷰티", "셀프케어", "동네뷰티숍", "관리받는날"),
    "retail": ("선물추천", "동네가게", "쇼핑", "구경오세요"),
    "fitness_education": ("운동하는일상", "자기계발", "동네스튜디오", "건강한습관"),
    "services": ("동네가게", "생활꿀팁", "믿고맡기는", "동네추천"),
}
COMMON_TAGS = ("소상공인", "동네가게", "오늘의추천", "일상")
# Generic tags used only when a guided hashtag count asks for more than the shop's own words.
MORE_TAGS = (
    "동네추천", "골목가게", "가볼만한곳", "주말나들이", "데일리", "일상기록",
    "추천가게", "로컬가게", "소확행", "동네산책", "우리동네", "오늘뭐하지",
)  # fmt: skip

PRICE_FEEL = {
    "budget": "부담 없는 편이에요.",
    "moderate": "합리적인 편이에요.",
    "premium": "들어간 정성을 생각하면 아깝지 않은 가격이에요.",
}

# --- Seasons, weekdays and occasions -----------------------------------------------------

SEASON_MOODS = {
    "초봄": "아직 바람이 쌀쌀한",
    "봄": "꽃 피는",
    "늦봄": "햇살이 길어진",
    "초여름": "슬슬 더워지는",
    "장마철": "비 소식이 잦은",
    "한여름": "무더운",
    "늦여름": "더위가 한풀 꺾인",
    "초가을": "선선한 바람이 부는",
    "가을": "하늘이 높은",
    "늦가을": "낙엽 지는",
    "초겨울": "찬바람 부는",
    "한겨울": "꽁꽁 추운",
    "늦겨울": "봄을 기다리는",
}
SEASON_EMOJI = {"봄": "🌸", "여름": "🌿", "장마": "☔", "가을": "🍂", "겨울": "❄"}
WEEKDAY_MOODS = {
    "월요일": "한 주를 시작하는",
    "화요일": "조금 지치기 쉬운",
    "수요일": "한 주의 한가운데인",
    "목요일": "주말이 코앞인",
    "금요일": "기다리던",
    "토요일": "여유로운",
    "일요일": "느긋한",
}

OCCASION_LINES: dict[str, tuple[str, ...]] = {
    "수능": (
        "수험생 여러분, 마지막까지 응원할게요.",
        "시험을 앞둔 수험생과 가족분들 모두 힘내세요.",
    ),
    "빼빼로데이": (
        "막대 과자만으로는 아쉬운 분들께, 조금 특별한 마음을 전해 보세요.",
        "고마운 사람에게 작은 마음 전하기 좋은 날이에요.",
    ),
    "발렌타인데이": ("마음을 전하기 딱 좋은 날이에요.",),
    "화이트데이": ("받은 마음에 답하기 좋은 날이에요.",),
    "블랙데이": ("혼자라도 괜찮아요. 오늘은 나를 챙기는 날이에요.",),
    "어버이날": ("부모님께 고마운 마음을 전하기 좋은 날이에요.",),
    "스승의날": ("고마운 선생님을 떠올리기 좋은 날이에요.",),
    "어린이날": ("아이들과 함께 즐거운 하루 보내세요.",),
    "설날": ("가족과 함께 따뜻한 명절 보내세요.", "새해 복 많이 받으세요."),
    "추석": ("온 가족이 모이는 한가위, 풍성하게 보내세요.", "넉넉한 한가위 되세요."),
    "크리스마스이브": ("설레는 크리스마스이브, 소중한 사람과 함께하세요.",),
    "크리스마스": ("따뜻한 크리스마스 보내세요.",),
    "연말": ("한 해 동안 정말 고마웠어요. 남은 연말도 따뜻하게 보내세요.",),
    "신정": ("새해에도 잘 부탁드려요.",),
    "개강": ("새 학기를 시작하는 분들, 모두 응원할게요.",),
    "초복": ("더위에 지치기 쉬운 복날, 든든하게 챙기세요.",),
    "중복": ("한여름 중복, 기운 내실 때예요.",),
    "말복": ("마지막 복날, 더위를 시원하게 보내 드려요.",),
    "삼겹살데이": ("오늘만큼은 고기 생각 참지 마세요.",),
}
OCCASION_GENERIC = ("{occasion}, 소중한 분들과 함께 즐거운 하루 보내세요.",)

# --- Sentences ----------------------------------------------------------------------------

HOOKS: dict[str, tuple[str, ...]] = {
    "question": (
        "{season}에 어울리는 {noun}, 찾고 계셨나요?",
        "{place}에서 믿고 갈 {word}, 아직 못 정하셨나요?",
        "{item}, 아직 {tried}?",
        "{moment_need} 어디가 먼저 떠오르세요?",
        "{occasion} 준비, 벌써 하셨나요?",
        "이번 {weekday}엔 뭐 하실 거예요?",
        "{offer} 소식, 들으셨나요?",
        "{weekday_mood} {weekday}, 나를 위한 시간 있으신가요?",
    ),
    "number": (
        "{item} {price}, 오늘의 추천이에요",
        "{price}(으)로 누리는 {season}의 작은 여유",
        "{occasion}까지 딱 {days}일 남았어요",
        "{product_count}가지 {noun}, 한 번에 소개할게요",
        "오늘의 추천 1순위는 {item}",
        "{deadline}까지, 이제 {left}일 남았어요",
        "10초만 주세요, {place} {word} 이야기예요",
        "1분이면 충분해요, {shop} 소개할게요",
    ),
    "benefit": (
        "{point}, {shop}의 자랑이에요.",
        "{item}(으)로 {season} 기분 전환해 보세요.",
        "{target}께 딱 맞는 {noun}(을)를 준비했어요.",
        "{place}에서 편하게 들르기 좋은 {word}(이)에요.",
        "{offer}, 이번에 꼭 챙기세요.",
        "{moment_need}, {shop}(을)를 떠올려 주세요.",
    ),
    "story": (
        "오늘 아침 문을 열면서 문득 이런 생각을 했어요.",
        "이 {noun}(을)를 준비하면서 제일 오래 고민한 건 '매일 와도 좋을까'였어요.",
        "{place} 골목에 {shop}(을)를 연 날을 아직도 기억해요.",
        "{season} 바람이 불기 시작하면 {shop}(은)는 조금 더 분주해져요.",
        "{item}에는 작은 이야기가 하나 숨어 있어요.",
        "가게 문을 열면 가장 먼저 오늘 오실 분들을 떠올려요.",
    ),
    "urgency": (
        "{deadline}까지만 진행해요!",
        "{offer}, 놓치면 아쉬워요!",
        "{offer}, 마감이 얼마 남지 않았어요!",
        "{occasion}까지 {days}일, 지금 준비하세요!",
        "이번 주가 지나기 전에 꼭 들러 주세요!",
        "{weekday}인 오늘, 지금이 딱 좋은 타이밍이에요!",
    ),
    "curiosity": (  # intrigue without a question mark: only the question hook asks
        "{place} 사람들만 아는 {word}, 오늘 살짝 알려 드릴게요.",
        "요즘 {shop}에서 제일 많이 듣는 말이 있어요.",
        "{item}에는 숨은 한 끗이 있어요.",
        "{shop}에 새로 생긴 게 하나 있어요.",
        "{season}에 {shop}(을)를 찾는 분들이 늘어난 이유가 있어요.",
    ),
    "social_proof": (
        "한 번 오신 분들이 다시 찾아 주시는 이유가 있어요.",
        "다시 오시는 분들이 꼭 찾는 {item}, 오늘도 준비했어요.",
        "{place} 이웃분들 덕분에 오늘도 큰 힘이 돼요.",
        '"또 올게요"라는 말이 제일 큰 힘이 돼요.',
        "단골분들이 먼저 알아보는 {item}(이)에요.",
    ),
}
PRICE_HOOKS = (
    "{item} {price}, 이 가격 실화예요!",
    "{price}에 만나는 {item}",
    "단 {price}, {item} 소개할게요",
)
OFFER_HOOKS = ("{offer}, 지금 바로 확인하세요!", "놓치지 마세요, {offer}!")
PLAYFUL_OPENERS = ("짜잔! ", "두근두근, ", "여러분~ ", "속보! ")

ANGLES: dict[str, tuple[str, ...]] = {
    "new_menu": (
        "{shop}에 {new_thing}(이)가 나왔어요. 바로 {item}(이)에요.",
        "오래 준비한 {new_thing} {item}, 드디어 선보여요.",
        "새로 준비한 {new_thing}, 이름은 {item}!",
        "새 소식이 있어요. {offer}!",
        "{shop}에서 전하는 새 소식, {offer}.",
        "{shop}에 {new_thing}(이)가 나왔어요. 가장 먼저 만나 보세요.",
        "{season}에 맞춰 {new_thing}(을)를 준비했어요.",
    ),
    "event_sale": (
        "지금 {shop}에서는 {offer}, 진행 중이에요.",
        "{deadline}까지 {offer}! 이 기회 놓치지 마세요.",
        "감사한 마음을 담아 {offer}(을)를 준비했어요.",
        "이번 주 {shop}에서 작은 이벤트를 준비했어요. 자세한 내용은 매장에서 알려 드릴게요.",
    ),
    "bring_back_regulars": (
        "한동안 못 뵈었던 분들, 잘 지내셨죠?",
        "오랜만에 {shop} 생각나셨다면, 지금이 다시 오실 타이밍이에요.",
        "자주 와 주시던 얼굴들이 요즘 많이 그리워요.",
        "다시 와 주시는 분들을 위해 {offer}(을)를 준비했어요.",
    ),
    "awareness": (
        "{place}에 이런 {word}(이)가 있다는 거, 알고 계셨나요?",
        "{shop}(은)는 {place}의 작은 {word}(이)에요.",
        "처음 오시는 분도 편하게 머물다 가실 수 있는 곳, {shop}(이)에요.",
        "{place} 골목 안쪽, {shop}(을)를 소개할게요.",
    ),
}

SEASON_LINES = (
    "{mood} 요즘, {shop}에서 잠깐 쉬어 가세요.",
    "{mood} {season}, {noun} 하나로 기분을 바꿔 보세요.",
    "{weekday_mood} {weekday}, {place}에 들를 일이 있다면 {shop}도 기억해 주세요.",
)
ITEM_LINES = (
    "{item}(은)는 {price}(이)에요.",
    "가격은 {item} {price}. {price_feel}",
    "{item}, {price}에 만나실 수 있어요.",
)
ITEM_DESCRIPTION_LINES = ("{item} — {desc}", "추천 {noun}: {item} — {desc}")
ITEM_TRY_LINES = ("처음 오셨다면 {item}부터 {try_it}.", "{item}, 꼭 한번 {try_it}.")
POINT_LINES = (
    "{shop}의 자랑은 {point}(이)에요.",
    "무엇보다 {point}, 이건 자신 있어요.",
    "{point}, 직접 느껴 보시면 알 거예요.",
)
TARGET_LINES = (
    "{target}께 특히 추천해요.",
    "{target}(이)라면 분명 마음에 드실 거예요.",
)
MARKET_LINES = (
    "{place}에만 {word}(이)가 {competitors}곳이 넘지만, {point2}(은)는 {shop}에서 만나실 수 있어요.",
    "{word}(이)가 많은 {place}에서도 {shop}(을)를 찾아 주시는 이유, {point2} 덕분이에요.",
)
FEW_COMPETITORS_LINES = ("{place}에 흔치 않은 {word}, {shop}(을)를 기억해 주세요.",)
STORY_LINES = (
    "처음 문을 열 때 바랐던 건 하나였어요. 동네 사람들이 편하게 들르는 곳이 되는 것.",
    "매일 같은 자리에서 같은 마음으로 준비하고 있어요.",
    "작은 가게지만, 오시는 분들의 하루가 조금 더 좋아지길 바라며 문을 열어요.",
)
HOURS_LINES = ("영업시간: {hours}", "영업시간은 {hours}(이)에요.")

CALLS: dict[str, tuple[str, ...]] = {
    "visit": (
        "{place} 지나실 때 편하게 들러 주세요.",
        "이번 {weekday}, {shop}에서 기다릴게요.",
        "가까운 날 꼭 한번 들러 주세요.",
    ),
    "order": (
        "주문은 전화나 DM으로 편하게 해 주세요.",
        "포장 주문도 언제든 환영이에요.",
    ),
    "reserve": (
        "원하시는 시간은 미리 예약해 주세요.",
        "예약하고 오시면 기다리지 않으셔도 돼요.",
    ),
    "call": (
        "궁금한 점은 전화 주시면 친절히 안내해 드릴게요.",
        "문의는 {phone}(으)로 편하게 주세요.",
    ),
    "dm": (
        "궁금한 건 DM으로 물어봐 주세요. 빠르게 답장 드릴게요.",
        "DM 주시면 자세히 알려 드릴게요.",
        "편하게 DM 남겨 주시면 하나하나 답해 드릴게요.",
    ),
    "comment": (
        "여러분이 제일 좋아하는 {noun}(은)는 무엇인가요? 댓글로 알려 주세요.",
        "가 보고 싶은 분은 댓글로 손 들어 주세요.",
    ),
    "save": (
        "나중에 들르실 때 보려면 저장해 두세요.",
        "잊기 전에 저장해 두세요.",
        "필요할 때 바로 찾을 수 있게 저장해 두세요.",
    ),
    "share": (
        "함께 가고 싶은 분께 공유해 주세요.",
        "생각나는 친구에게 공유해 주세요.",
        "같이 오고 싶은 분이 떠오르면 이 글을 보내 주세요.",
    ),
    "link": (
        "자세한 안내는 프로필 링크에서 확인해 주세요.",
        "예약과 위치는 프로필 링크에 있어요.",
        "프로필 링크를 누르시면 예약까지 한 번에 하실 수 있어요.",
        "가는 길과 예약 방법은 프로필 링크에 모아 두었어요.",
    ),
}
SIGN_OFFS: dict[str, tuple[str, ...]] = {
    "friendly": ("오늘도 좋은 하루 보내세요!", "따뜻한 하루 되세요."),
    "playful": ("그럼 이따 봬요~!", "기다리고 있을게요, 꼭 와요~!"),
    "calm": ("편안한 하루 되세요.", "오늘도 천천히, 좋은 하루 보내세요."),
    "professional": ("늘 믿고 찾아 주셔서 감사해요.", "정확하고 꼼꼼하게 준비할게요."),
    "premium": ("정성을 다해 기다릴게요.", "한결같은 마음으로 준비할게요."),
}

# --- Channel pieces -----------------------------------------------------------------------

HEADLINES = (
    "{offer}",
    "{new_thing} {item}",
    "{season}엔 {shop}",
    "{place} {word} {shop}",
    "오늘의 {noun}",
    "{item} 어때요?",
    "{weekday}의 {item}",
    "{occasion} 준비는 여기서",
    "{place}의 작은 {word}",
)
PRICE_HEADLINES = ("{item} {price}", "단 {price}", "{price}의 행복")
SUBLINES = ("{place} · {shop}", "{deadline}까지", "{hours}", "{point}", "{mood} {season}의 {noun}")
ALT_TEXTS: dict[str, str] = {
    "photo_band": "{photo} 사진. 아래쪽 띠에 '{headline}' 문구가 들어가 있어요.",
    "gradient_headline": "가게 색으로 물든 그라데이션 배경에 '{headline}' 제목이 크게 적힌 이미지.",
    "brand_card": "{shop} 이름과 '{headline}' 문구가 들어간 깔끔한 소개 카드.",
    "menu_card": "{shop}의 {noun}(과)와 가격을 정리한 메뉴판 이미지. 맨 위에 '{headline}'.",
    "offer_badge": "{photo} 사진 위에 '{offer}' 혜택 배지가 붙은 이미지.",
    "review_quote": "손님 후기 한 줄을 큰 따옴표로 보여 주는 카드. 배경은 {photo} 사진.",
    "carousel": "{shop} 소개 캐러셀의 첫 장. '{headline}' 제목과 {photo} 사진.",
    "slideshow": "릴스 표지. {photo} 사진 위에 '{headline}' 자막.",
}
BLOG_TITLES = (
    "{place} {word} 추천 | {shop}, {season}에 가기 좋은 곳",
    "[{place} {word}] {shop} {new_thing} {item} 소개",
    "{place} {word} {shop} — {offer}",
    "{place} {word} {shop}, {item} 이야기",
    "{district} {word} 찾는다면, {place} {shop}",
)
BLOG_QUESTION_TITLES = (
    "{place} {word} 어디가 좋을까요? {shop} 소개",
    "{place} {word} 찾으세요? {shop} {item} 이야기",
    "{district} {word} 고민 중이세요? {place} {shop}",
    "{offer}, 알고 계셨나요? {place} {word} {shop}",
)
THREADS_IMAGE_HEADLINES = ("{item} 어때요?", "오늘의 {shop}", "{place}의 {word}", "{offer}")
SHORTS_TITLES = (
    "{place} {word} {shop}의 {item} #Shorts",
    "{season}에 딱! {shop} {noun} 소개 #Shorts",
    "{place} 숨은 {word}, {shop} #Shorts",
    "{offer} | {shop} #Shorts",
)
SHORTS_QUESTION_TITLES = (  # the title is the first line a viewer sees: the question hook's
    "{place}에서 {word} 찾으세요? {shop} #Shorts",
    "{item}, 아직 {tried}? | {shop} #Shorts",
    "{season}엔 어떤 {noun}(이)가 좋을까요? {shop} #Shorts",
    "{moment_need} 어디로 가세요? {place} {shop} #Shorts",
    "{offer}, 알고 계셨나요? | {shop} #Shorts",
)
THUMBNAILS = ("{item}", "{place} {word}", "{new_thing} 등장", "{offer}", "{season} 추천", "{shop}")
PLACE_LINES = (
    "{place}에 있는 {word}, {shop}(이)에요.",
    "{shop}(은)는 {place}의 {word}(이)에요.",
    "{place}에서 {word}(을)를 찾으신다면 {shop}(이)에요.",
)
CALL_CAPTIONS = {
    "visit": "지금 들러 주세요",
    "order": "주문 환영해요",
    "reserve": "예약은 미리!",
    "call": "전화 문의 환영",
    "dm": "DM 주세요",
    "comment": "댓글로 알려 주세요",
    "save": "저장해 두세요",
    "share": "친구에게 공유!",
    "link": "프로필 링크 확인",
}
OCCASION_DAYS = {
    0: "오늘은 {occasion}(이)에요.",
    1: "내일은 {occasion}(이)에요.",
}
OCCASION_COUNTDOWN = "{occasion}까지 {days}일 남았어요."

# --- Naver Blog ---------------------------------------------------------------------------

BLOG_GREETINGS = (
    "안녕하세요, {place}에서 {word}(을)를 운영하는 {shop}(이)에요.",
    "안녕하세요! {place} {shop}(이)에요.",
    "{place} 이웃 여러분, 안녕하세요. {shop}(이)에요.",
)
BLOG_TOPICS = {
    "new_menu": (
        "오늘은 새로 나온 {item} 이야기를 들려드릴게요.",
        "오늘은 {new_thing} 소식을 전해 드릴게요.",
    ),
    "event_sale": (
        "오늘은 이번 이벤트 소식을 전해 드릴게요.",
        "오늘은 {offer} 소식을 들고 왔어요.",
    ),
    "bring_back_regulars": ("오늘은 오랜만에 반가운 소식을 들고 왔어요.",),
    "awareness": (
        "오늘은 {shop}(을)를 처음 소개해 드릴게요.",
        "오늘은 우리 가게 이야기를 조금 해 볼게요.",
    ),
}
BLOG_CLOSINGS = (
    "공감과 댓글은 큰 힘이 돼요.",
    "이웃 추가해 두시면 새 소식을 가장 먼저 받아 보실 수 있어요.",
    "궁금한 점은 댓글로 남겨 주세요. 하나하나 답해 드릴게요.",
)
MENU_HEADINGS = {
    "food_drink": "메뉴 소개",
    "beauty": "시술 안내",
    "retail": "상품 소개",
    "fitness_education": "수업 안내",
    "services": "서비스 안내",
}
NEWS_HEADINGS = {
    "new_menu": ("{new_thing} {item} 소개", "{new_thing} 소식"),
    "event_sale": ("이번 이벤트 안내", "{offer}"),
    "bring_back_regulars": ("다시 찾아 주실 분들께", "오랜만에 인사드려요"),
    "awareness": ("{shop}(은)는 이런 곳이에요", "{shop}(을)를 소개할게요"),
}
NEWS_DETAILS = {
    "new_menu": (
        "처음 만나 보시는 분들의 솔직한 이야기도 기다릴게요.",
        "{item}(은)는 {price}(이)에요. 처음이라 더 신경 써서 준비했어요.",
    ),
    "event_sale": (
        "{deadline}까지 진행하니 늦지 않게 들러 주세요.",
        "혜택은 매장에서 바로 적용해 드려요. 따로 챙겨 오실 건 없어요.",
    ),
    "bring_back_regulars": (
        "예전에 자주 찾아 주시던 분들 얼굴이 요즘 자주 떠올라요.",
        "오랜만에 오셔도 어색하지 않게, 늘 같은 자리에서 기다리고 있어요.",
    ),
    "awareness": (
        "{shop}(은)는 {point}(을)를 가장 중요하게 생각하는 {word}(이)에요.",
        "지나가다 한 번쯤 보셨다면, 이번엔 편하게 들어와 보세요.",
    ),
}
# Each line of the directions and hours sections, in a few wordings (a campaign with two
# blog posts says each in its own words).
BLOG_DIRECTIONS = (
    (
        "{shop}(은)는 {area}에 있어요.",
        "{shop}의 자리는 {area}(이)에요.",
        "{area}에 오시면 {shop}(을)를 만나실 수 있어요.",
    ),
    (
        "정확한 주소는 {address}(이)에요.",
        "주소는 {address}(이)에요. 지도 앱에 그대로 넣으시면 돼요.",
        "{address}, 여기로 오시면 돼요.",
    ),
    (
        "근처에 {neighbours} 같은 가게들이 모여 있어서 {place} 나들이 코스로 함께 들르기 좋아요.",
        "{neighbours} 같은 가게들이 가까이 있어서 {place} 산책길에 함께 들르기 좋아요.",
        "주변에 {neighbours} 같은 곳들이 있어서 {place} 구경하며 오시기 좋아요.",
    ),
    (
        "처음 오시는 분들은 지도 앱에서 '{shop}'(을)를 검색하시면 바로 찾으실 수 있어요.",
        "지도 앱에 '{shop}'(을)를 검색하시면 길 안내가 바로 나와요.",
        "길이 헷갈리시면 지도 앱에서 '{shop}'(을)를 찾아 주세요.",
        "찾기 어려우시면 가게 이름 '{shop}'(으)로 검색해 보세요.",
    ),
)
BLOG_HOURS = (
    (
        "영업시간은 {hours}(이)에요.",
        "여는 시간은 {hours}(이)에요. 헛걸음하지 않게 참고해 주세요.",
        "{hours}, 이 시간에 기다리고 있어요.",
    ),
    (
        "문의는 {phone}(으)로 주시면 돼요.",
        "궁금한 점은 {phone}(으)로 전화 주세요.",
        "예약이나 문의는 {phone}(으)로 편하게 연락 주세요.",
    ),
    (
        "주차 가능 여부는 방문 전에 전화로 한번 확인해 주세요. 가까우시다면 걸어서 오시는 걸 추천해요.",
        "주차는 방문 전에 전화로 한번 여쭤봐 주세요. 가까운 분들은 걸어서 오시면 편해요.",
        "차를 가져오신다면 주차 자리를 미리 확인해 주세요. 근처라면 걸어오시는 게 제일 편해요.",
    ),
)
BLOG_NO_HOURS = (
    "영업시간은 네이버 지도의 가게 정보를 참고해 주세요. 사정에 따라 조금 달라질 수 있어요."
)
BLOG_PRICES = (
    "{shop}의 가격대는 {price_feel}",
    "대부분의 {noun}(은)는 {min_price}에서 {max_price} 사이예요.",
    "{item}(은)는 {price}(이)에요.",
)
BLOG_MENU_INTRO = (
    "{shop}의 {noun}(을)를 소개할게요.",
    "어떤 {noun}(이)가 있는지 궁금하셨죠? 하나씩 정리해 봤어요.",
)
BLOG_NO_MENU = "{noun} 종류와 가격은 상황에 따라 달라질 수 있어요. 방문 전에 문의해 주시면 자세히 안내해 드릴게요."
BLOG_IMAGES = (
    ("{shop} 외관", "간판과 입구가 한 번에 보이도록 정면에서 찍은 사진"),
    ("{item}", "{item}(을)를 가까이에서 찍은 사진. 자연광이 드는 자리에서 찍으면 좋아요"),
    ("매장 안 모습", "자리와 조명이 잘 보이도록 안쪽에서 입구 쪽으로 찍은 사진"),
    ("{noun} 안내", "메뉴판이나 가격표, 안내문을 정면에서 또렷하게 찍은 사진"),
    ("{offer}", "이벤트 안내 문구나 POP를 찍은 사진"),
    ("{season}의 {shop}", "계절감이 느껴지는 창가나 소품 사진"),
    ("찾아오는 길", "가게 앞 골목이나 가까운 큰길이 보이는 사진"),
)
