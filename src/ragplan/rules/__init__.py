"""The check rules of SPEC 4: an explicit registry, one module per rule."""

from __future__ import annotations

from .base import Context, Rule

REGISTRY: dict[str, Rule] = {}

__all__ = ["REGISTRY", "Context", "Rule"]
