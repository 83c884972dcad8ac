"""The pipeline steps, one module each, in the order posts pass through them (see ``pipeline_steps``)."""
