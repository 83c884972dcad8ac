"""The families of checks, one module each: every family gives its specs and computes the columns they read."""
