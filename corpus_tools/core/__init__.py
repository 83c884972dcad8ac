"""What every stage shares: the record types, the declared schemas, safe file writing and progress bars.

Nothing here imports from another part of corpus-tools (except ``errors``): readers, convert, validate
and package all build on it.
"""
