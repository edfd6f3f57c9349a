"""Persistence: run history / registry in SQLite (:mod:`.db`) and blob storage (:mod:`.blobs`)."""
