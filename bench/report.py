"""One figure per line: `bench <name> <value> <unit> target <op><value>`."""

from __future__ import annotations

import operator
from dataclasses import dataclass

_OPS = {"<=": operator.le, ">=": operator.ge, "=": operator.eq, "<": operator.lt, ">": operator.gt}


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""  # e.g. "<=1.5"; empty: reported only

    def met(self) -> bool:
        if not self.target:
            return True
        for symbol in ("<=", ">=", "<", ">", "="):
            if self.target.startswith(symbol):
                return _OPS[symbol](self.value, float(self.target[len(symbol) :]))
        raise ValueError(self.target)

    def line(self) -> str:
        target = self.target or "reported"
        verdict = "" if self.met() else "  MISSED"
        return f"bench {self.name} {self.value:.3g} {self.unit} target {target}{verdict}"
