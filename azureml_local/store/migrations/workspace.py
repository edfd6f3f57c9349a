"""Workspace-level key/value settings (default datastore name, service info...)."""

STEPS = [
    """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE registry_generations (
        area TEXT PRIMARY KEY,
        n INTEGER NOT NULL
    );
    """,
]
