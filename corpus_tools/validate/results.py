"""What a validation found: every check's result, and the verdict at the severity that fails the run.

``run`` makes it; ``reports`` writes it as JSON and JUnit and prints its summary; ``build`` records it
in the descriptor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .base import PASSED, SKIPPED, CheckResult
from .config import Config
from .source import About


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
    about: About | None = None  # the package's title, version and figure, for the HTML report

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


def counts(outcome: ValidationResult) -> dict[str, int]:
    """How many checks ran, passed, failed at each severity and were skipped: every report's totals."""
    failed = [r for r in outcome.results if r.failed]
    return {"checks": len(outcome.results), "passed": sum(r.status == PASSED for r in outcome.results),
            "failed_error": sum(r.spec.severity == "error" for r in failed),
            "failed_warning": sum(r.spec.severity == "warning" for r in failed),
            "skipped": sum(r.status == SKIPPED for r in outcome.results)}
