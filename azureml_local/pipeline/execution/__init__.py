"""Pipeline execution: from a stored definition to step processes (see docs/reuse.md)."""
