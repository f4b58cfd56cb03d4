"""The Korean copy quality gate: particles, unresolved markers, unit spacing, register,
invented facts, clichés and 번역투, repetition within a campaign, and emoji density,
checked on every draft from every writer and repaired where a repair is deterministic.

``review(draft, context)`` gives the repaired draft and its findings; what it cannot
repair is an error the writer is asked to fix once (content.services.fitting_generation).
docs/content.md lists the rules with an example of each.
"""

from content.quality.base import ERROR, REPAIRED, REWRITTEN, WARNING, Finding
from content.quality.gate import (
    QualityContext,
    Review,
    context_for,
    fact_lines,
    repeats_removed,
    review,
    review_text,
    sibling_keys,
)

__all__ = [
    "ERROR",
    "REPAIRED",
    "REWRITTEN",
    "WARNING",
    "Finding",
    "QualityContext",
    "Review",
    "context_for",
    "fact_lines",
    "repeats_removed",
    "review",
    "review_text",
    "sibling_keys",
]
