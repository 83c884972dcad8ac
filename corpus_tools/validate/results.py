"""What a validation found: every check's result, and the verdict at the severity that fails the run.

``run`` makes it; ``reports`` writes it as JSON and JUnit and prints its summary; ``build`` records it
in the descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .base import CheckResult
from .config import Config


@dataclass
class ValidationResult:
    """Every check's result, in report order, and what the run found besides."""

    dataset: str
    coverage: str | None
    config: Config
    fail_on: str
    results: list[CheckResult]
    statistics: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage; never in a report

    @property
    def failing(self) -> list[CheckResult]:
        """The results that fail the run at ``fail_on``."""
        return [r for r in self.results if r.fails_at(self.fail_on)]

    @property
    def passed(self) -> bool:
        return not self.failing

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1
