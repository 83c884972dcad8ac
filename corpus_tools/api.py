"""The functions the command line calls, importable by Python callers as they are.

Example: ``from corpus_tools import api; api.convert([Path("dump.txt")], Path("out"), channel="MFARussia")``
"""

from .build import BuildResult, build, package
from .convert import ConvertResult, convert
from .dating import Period
from .package.diff import PackageDiff, compare
from .package.verify import VerifyResult, verify
from .synth import SynthResult, synth

__all__ = ["BuildResult", "ConvertResult", "PackageDiff", "Period", "SynthResult", "VerifyResult", "build", "compare",
           "convert", "package", "synth", "verify"]
