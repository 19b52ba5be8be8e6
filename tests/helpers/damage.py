"""Damage generated text a character at a time, for the differential tests of the
reader that stands in for libyaml (fastread)."""

from __future__ import annotations

import random


def damaged(text: str, rng: random.Random, most: int, inserts: str) -> str:
    """`text` with 1 to `most` characters inserted (from `inserts`) or deleted."""
    chars = list(text)
    for _ in range(rng.randint(1, most)):
        at = rng.randrange(len(chars) + 1)
        if rng.random() < 0.45:
            chars.insert(at, rng.choice(inserts))
        elif at < len(chars):
            del chars[at]
    return "".join(chars)
