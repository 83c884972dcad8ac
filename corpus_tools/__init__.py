"""corpus-tools: turn raw Telegram posts into a validated, versioned Frictionless data package."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("corpus-tools")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
