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
    "new-job", "promotion", "wedding", "anniversary", "baby", "move", "graduation", "launch",
    "custom",
)  # fmt: skip
# the life events that are a contact's anniversary: vCard ANNIVERSARY, a CSV's Anniversary
ANNIVERSARY_KINDS = ("wedding", "anniversary")
GIFT_DIRECTIONS = ("idea", "gave", "got")


def counted(count: int, word: str, many: str | None = None) -> str:
    """A number with its word, singular or plural: `1 interaction`, `3 interactions`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def days_from(days: int) -> str:
    """How far a day is from today, in words: `today`, `1 day ago`, `in 3 days`."""
    if days == 0:
        return "today"
    if days < 0:
        return f"{counted(-days, 'day')} ago"
    return f"in {counted(days, 'day')}"
