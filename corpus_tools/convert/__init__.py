"""convert: raw inputs -> the declared tables. ``run`` drives it; ``steps/`` are the pipeline's steps;
``tables`` and ``parquet`` write the rows; ``references`` and ``parallel`` do the cross-record and
multi-process work.
"""
