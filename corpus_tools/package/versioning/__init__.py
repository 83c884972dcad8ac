"""Versions of a package: semver rules, what changed in schemas and rows, the diff and the CHANGELOG."""
