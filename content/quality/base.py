"""What the gate finds: one finding per problem, with the rule, the field, the words
before and after its repair, and how it ended (repaired, left as a warning, or an error
that the writer has to fix)."""

from __future__ import annotations

from dataclasses import dataclass

REPAIRED, WARNING, ERROR = "repaired", "warning", "error"
REWRITTEN = "rewritten"  # an error the writer was asked to fix in its one rewrite


@dataclass(frozen=True)
class Finding:
    rule: str  # a code of content.models.QualityFinding.Rule
    field: str  # dotted path in the draft ("caption", "sections.1.body"); "" for the piece
    before: str  # the words as written
    after: str  # the words after the repair ("" when removed, or for a warning or an error)
    severity: str  # REPAIRED, WARNING or ERROR
    message: str  # plain Korean, for the owner and for the writer's second try
