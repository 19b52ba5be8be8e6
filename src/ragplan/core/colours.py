"""Rating colours that meet WCAG AA: each background with the text colour, black or white,
that contrasts with it best, measured (WCAG 2.x relative luminance; AA is 4.5:1).

Excel's tracker colours fail AA with white text (green 00B050: 2.5:1; amber FFC000:
1.6:1), so these are darker shades that keep the colour's name.
"""

from __future__ import annotations

AA = 4.5
_NAMED = {
    "blue": "1D4ED8",
    "green": "166534",
    "amber": "FFC000",
    "yellow": "FDE047",
    "orange": "C2410C",
    "red": "B91C1C",
    "grey": "4B5563",
    "gray": "4B5563",
    "black": "111827",
    "purple": "6D28D9",
    "white": "F9FAFB",
}
_OTHERS = ("0F766E", "7C2D12", "4338CA", "A16207", "9D174D", "374151")  # by position


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of `RRGGBB`."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `RRGGBB` colours, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rating_colours(key: str, position: int) -> tuple[str, str]:
    """(background, text) for a rating: a colour its key names, else one by position; text
    black or white, whichever contrasts more (every pair here is at least AA)."""
    background = _NAMED.get(key.lower(), _OTHERS[position % len(_OTHERS)])
    text = max(("000000", "FFFFFF"), key=lambda t: contrast(background, t))
    return background, text


_LEVEL_NAMES = ("green", "amber", "red")  # a risk matrix's levels, best first


def level_colours(position: int, count: int) -> tuple[str, str]:
    """(background, text) for the `position`-th of `count` risk levels: green to red."""
    name = _LEVEL_NAMES[min(round(position * 2 / max(count - 1, 1)), 2)]
    return rating_colours(name, position)
