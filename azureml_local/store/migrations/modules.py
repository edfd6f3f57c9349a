"""Modules and their versions (``store/modules.py``; ``Module``, ``ModuleVersion``, ``ModuleStep``)."""

STEPS = [
    """
    CREATE TABLE modules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT,
        status TEXT NOT NULL DEFAULT 'Active',
        default_version TEXT,
        created_utc TEXT NOT NULL,
        updated_utc TEXT NOT NULL
    );
    CREATE TABLE module_versions (
        id TEXT PRIMARY KEY,
        module_id TEXT NOT NULL REFERENCES modules(id),
        version TEXT,
        description TEXT,
        status TEXT NOT NULL DEFAULT 'Active',
        category TEXT,
        definition TEXT NOT NULL,
        created_utc TEXT NOT NULL,
        updated_utc TEXT NOT NULL,
        UNIQUE (module_id, version)
    );
    CREATE INDEX module_versions_by_module ON module_versions(module_id, created_utc);
    """,
]
