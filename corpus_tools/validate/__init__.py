"""Validation suites (see run.py)."""
