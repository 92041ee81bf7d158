"""Looking after the data: changes previewed and applied as versions, duplicates, fixes."""

from __future__ import annotations

from collections.abc import Sequence

from analytics.i18n import N_, Text, lazy

# Who made a change when nobody signed in: kept in English in the history, shown with _().
NOBODY_SIGNED_IN = N_("staff (no sign-in on this server)")


def lazy_list(parts: Sequence[Text], *, apart: bool = False) -> Text:
    """Messages as one list translated when shown, with the separator the language uses:
    "a, b, c" (in Japanese 「a、b、c」), or "a; b; c" for parts that are sentences of their own
    (``apart``). Made of messages nested two at a time, so that it is kept, and translated
    later, as any other :class:`~analytics.i18n.Text`.

    >>> from analytics.i18n import speaking
    >>> with speaking("en"):
    ...     str(lazy_list([lazy("{count} added", count=1), lazy("{count} changed", count=2)]))
    '1 added, 2 changed'
    """
    joined = parts[-1]
    for part in reversed(parts[:-1]):
        joined = (lazy("{first}; {rest}", first=part, rest=joined) if apart
                  else lazy("{first}, {rest}", first=part, rest=joined))
    return joined
