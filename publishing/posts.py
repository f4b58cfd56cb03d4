"""What goes out for a piece on its platform: text, title, tags and media, in order.

Pure reading of the piece and its rendered assets, by the platform's publisher
(``Publisher.post``); the publishers get this as a ``PublishJob`` and the Naver Blog
assisted page shows the same thing to copy.
"""

from __future__ import annotations

from content.models import ContentPiece
from publishing.publishers import publisher_class
from publishing.publishers.post import PostContent


def post_for(piece: ContentPiece) -> PostContent:
    """The post for ``piece``. Media missing from the render are simply absent: the media
    check before publishing says what is missing in plain words."""
    return publisher_class(piece.channel).post(piece)
