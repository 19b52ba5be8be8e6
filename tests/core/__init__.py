"""The core: semantics of dates, overdue, stale, explanations, arrows, measures, risks, schema."""
