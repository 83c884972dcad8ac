"""corpus-tools: turn raw Telegram posts into a validated, versioned Frictionless data package."""


def __getattr__(name: str) -> str:
    # ``__version__`` is looked up when asked for: importlib.metadata costs more at start-up than
    # the rest of the command line does, and most commands never ask.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("corpus-tools")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
