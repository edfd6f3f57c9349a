"""The workspace key vault: secret values, encrypted (``store/secrets.py``)."""

STEPS = [
    """
    CREATE TABLE secrets (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        value BLOB NOT NULL,
        content_type TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    """,
]
