"""validate on the Spark engine: the same checks and results as the local engine, computed on Spark."""
