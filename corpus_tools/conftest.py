"""pytest's doctest collection of the package (``--doctest-modules``): the spark engine's modules import
pyspark, an optional extra, so without it they are not collected (their tests skip, see tests/conftest.py)."""

from importlib.util import find_spec

collect_ignore_glob = [] if find_spec("pyspark") else ["*/spark/*.py"]
