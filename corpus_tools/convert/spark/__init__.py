"""Convert on Apache Spark (the spark engine, ``core.engine``): the same readers and steps in Spark tasks,
the cross-record passes (merging copies, masking user ids, unlinking dangling replies) as Spark joins."""
