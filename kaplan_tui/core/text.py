"""Cleaning user text so it is shown, stored and exported as data, never as commands."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline, DEL, C1 controls, zero-width characters and the bidi
# overrides used in "Trojan source" tricks (reliability.md §5.3).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff]"
)


def clean(text: str) -> str:
    """NFC-normalise ``text`` and drop control, zero-width and bidi-override characters.

    Tabs and newlines stay. An escape sequence such as ``\\x1b]2;x\\x07`` loses its ESC and BEL,
    so what is left prints as harmless text.
    """
    # Fast path: most text is already NFC and free of anything to strip (half of the load
    # time of a 50k check-in workspace went into this function before).
    if unicodedata.is_normalized("NFC", text) and not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub("", unicodedata.normalize("NFC", text))


def clean_line(text: str) -> str:
    """:func:`clean`, with newlines and tabs folded to single spaces (for one-line cells)."""
    return " ".join(clean(text).split())


def visible(text: str) -> str:
    """Show control characters as visible ``\\xNN`` escapes instead of removing them.

    Used where the user must see that their file holds something odd (doctor reports).
    """
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
