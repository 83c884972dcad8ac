"""Validation suites: what a published corpus promises has been checked.

One module per family of checks (``required``, ``duplicates``, ``repetition``, ``near_duplicates``,
``dates``, ``integrity``; the file checks are in ``source``), each giving ``Spec``s that ``suites`` turns
into Great Expectations suites (saved in ``schemas/suites/``) and computing the columns its expectations
read. ``run.validate`` runs them all; ``reports`` writes JSON and JUnit; ``gx_run`` drives GX and its Data
Docs. The text checks share one scan of the posts' text (``textscan``).

Nothing heavy is imported here: callers import ``corpus_tools.validate.run`` (or ``api.validate``).
"""
