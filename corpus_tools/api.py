"""The functions the command line calls, importable by Python callers as they are.

Example: ``from corpus_tools import api; api.convert([Path("dump.txt")], Path("out"), channel="MFARussia")``
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .convert.run import ConvertResult, convert
from .convert.steps.dating import Period
from .convert.steps.privacy import Privacy
from .package.build import BuildResult, build, package
from .package.init import InitResult, init
from .package.verify import VerifyResult, verify
from .package.versioning.diff import PackageDiff, compare
from .synth import SynthResult, synth

if TYPE_CHECKING:
    from .validate.results import ValidationResult

__all__ = ["BuildResult", "ConvertResult", "InitResult", "PackageDiff", "Period", "Privacy", "SynthResult",
           "VerifyResult",
           "build", "compare", "convert", "init", "package", "synth", "validate", "verify"]


def validate(path: Path, *, config: Path | None = None, fail_on: str = "error", report: Path | None = None,
             junit: Path | None = None, html: Path | None = None, docs: Path | None = None,
             now: datetime | None = None) -> ValidationResult:
    """Run the validation suites on a datapackage.json or a folder of tables; write the reports asked for
    (``html``: the self-contained HTML report, which opens offline).

    GX and numba load on the first call, not on import, so ``corpus-tools --help`` stays fast.

    Example: ``api.validate(Path("datapackage.json"), junit=Path("validation.junit.xml")).exit_code`` -> 0
    """
    from .validate.run import validate as run

    return run(path, config=config, fail_on=fail_on, report=report, junit=junit, html=html, docs=docs, now=now)
