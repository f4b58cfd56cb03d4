"""The owner's publishing pages: ``channels`` (connecting accounts) and ``publications``
(scheduling, each post's state, the owner's actions, assisted publishing)."""
