"""Pipeline construction: data sources seen at submit (the SDK's "Created/Using data reference" lines)."""

STEPS = [
    """
    CREATE TABLE pipeline_datasources (
        fingerprint TEXT PRIMARY KEY,          -- sha256 of what the data source points at
        datasource_id TEXT NOT NULL,           -- stable id printed as the SDK prints the service's
        name TEXT NOT NULL,
        created_utc TEXT NOT NULL
    );
    """,
]
