"""The four channels Gagecast writes for. Other apps import the enum from here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INSTAGRAM = "instagram", _("인스타그램")
    NAVER_BLOG = "naver_blog", _("네이버 블로그")
    YOUTUBE_SHORTS = "youtube_shorts", _("유튜브 쇼츠")
    THREADS = "threads", _("스레드")


# Sensible local posting hours, used until the learning loop has evidence for a shop's
# own best times (campaigns lay slots out with them; analytics treats them as the
# starting point it moves away from only on evidence).
POSTING_HOURS: dict[str, tuple[int, ...]] = {
    Channel.INSTAGRAM: (12, 19),
    Channel.NAVER_BLOG: (10,),
    Channel.YOUTUBE_SHORTS: (18,),
    Channel.THREADS: (8, 21),
}
