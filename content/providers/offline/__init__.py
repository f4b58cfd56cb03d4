"""The offline writer: real Korean marketing copy without a language model.

Every choice (creative attributes, hooks, sentences, hashtags, emoji) is drawn from
one ``random.Random`` seeded by the request, so the same request and seed give the
same draft and another seed gives visibly different text. The attributes are chosen
first, explicitly, and the text is then written to embody them; every draft passes
its channel's ``check()`` as written.

In reading order: ``plan`` (the attributes), ``facts`` (the slots templates fill),
``copywriter`` (sentences and video scripts), ``channels`` (one writer per channel),
``provider`` (a whole draft, or one field rewritten); ``phrases`` is the phrase bank
and ``text`` the small text helpers.
"""

from content.providers.offline.provider import OfflineProvider, opening_of

__all__ = ["OfflineProvider", "opening_of"]
