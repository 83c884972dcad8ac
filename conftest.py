"""pytest, at the project's root: the doctests of the package (``--doctest-modules``). The spark
engine's modules import pyspark, an optional extra, so without it they are not collected (their
tests skip then, see tests/conftest.py)."""

from importlib.util import find_spec

collect_ignore_glob = [] if find_spec("pyspark") else ["corpus_tools/*/spark/*.py"]
