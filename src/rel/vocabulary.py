"""The words the store knows: kinds of interactions, handles, touchpoints, events, gifts.

Kept apart from the models so that parsing what a person typed needs no SQLModel import.
"""

KINDS = (
    "call", "email", "message", "coffee", "lunch", "dinner",
    "meeting", "event", "video", "gift", "help", "note",
)  # fmt: skip
HANDLE_KINDS = ("email", "phone", "link", "alias")

TOUCHPOINT_KINDS = (
    "follow-up", "birthday", "anniversary", "congratulate", "gift", "catch-up", "custom",
)  # fmt: skip
EVENT_KINDS = (
    "new-job", "promotion", "wedding", "baby", "move", "graduation", "launch", "custom",
)  # fmt: skip
GIFT_DIRECTIONS = ("idea", "gave", "got")
