"""The functions the command line calls, importable by Python callers as they are.

Example: ``from corpus_tools import api; api.convert([Path("dump.txt")], Path("out"), channel="MFARussia")``
"""

from .build import BuildResult, build
from .convert import ConvertResult, convert
from .dating import Period

__all__ = ["BuildResult", "ConvertResult", "Period", "build", "convert"]
