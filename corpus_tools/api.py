"""The functions the command line calls, importable by Python callers as they are.

Example: ``from corpus_tools import api; api.convert([Path("dump.txt")], Path("out"), channel="MFARussia")``

Each name is imported from its module when first used (``__getattr__``), not when this module is:
a command loads only what it runs, so ``validate`` starts Great Expectations' process without first
importing the converter, the packager and the synthesiser.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .convert.run import ConvertResult, convert
    from .core.engine import Engine
    from .convert.steps.dating import Period
    from .convert.steps.privacy import Privacy
    from .package.build import BuildResult, build, package
    from .package.init import InitResult, init
    from .package.verify import VerifyResult, verify
    from .package.versioning.diff import PackageDiff, compare
    from .synth import SynthResult, synth
    from .validate.results import ValidationResult

# Where each name lives (imported on first use).
_HOMES = {"ConvertResult": ".convert.run", "convert": ".convert.run", "Engine": ".core.engine", "Period": ".convert.steps.dating",
          "Privacy": ".convert.steps.privacy",
          "BuildResult": ".package.build", "build": ".package.build", "package": ".package.build",
          "InitResult": ".package.init", "init": ".package.init",
          "VerifyResult": ".package.verify", "verify": ".package.verify",
          "PackageDiff": ".package.versioning.diff", "compare": ".package.versioning.diff",
          "SynthResult": ".synth", "synth": ".synth"}

__all__ = ["BuildResult", "ConvertResult", "Engine", "InitResult", "PackageDiff", "Period", "Privacy", "SynthResult",
           "VerifyResult",
           "build", "compare", "convert", "init", "package", "synth", "validate", "verify"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name], __package__), name)
    globals()[name] = value  # found once
    return value


def validate(path: Path, *, config: Path | None = None, fail_on: str = "error", report: Path | None = None,
             junit: Path | None = None, html: Path | None = None, docs: Path | None = None,
             now: datetime | None = None, engine: str | None = None,
             spark_master: str | None = None) -> ValidationResult:
    """Run the validation suites on a datapackage.json or a folder of tables; write the reports asked for
    (``html``: the self-contained HTML report, which opens offline). ``engine`` is ``local`` (the
    default) or ``spark``, with ``spark_master`` its master URL (default ``local[*]``): the same checks
    and results, computed on Spark.

    GX and numba load on the first call, not on import, so ``corpus-tools --help`` stays fast.

    Example: ``api.validate(Path("datapackage.json"), junit=Path("validation.junit.xml")).exit_code`` -> 0
    """
    from .core.engine import Engine
    from .validate.run import validate as run

    return run(path, config=config, fail_on=fail_on, report=report, junit=junit, html=html, docs=docs, now=now,
               engine=Engine.choose(engine, spark_master, {}))
