"""Describing and publishing the tables as a Frictionless Data Package (v2)."""
