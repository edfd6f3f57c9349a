"""Datastores, datasets (saved definitions + registered versions) and dataset lineage."""

STEPS = [
    """
    CREATE TABLE datastores (
        name TEXT PRIMARY KEY,
        datastore_type TEXT NOT NULL,
        container_name TEXT,
        account_name TEXT,
        config TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE saved_datasets (
        id TEXT PRIMARY KEY,
        dataset_type TEXT NOT NULL,
        definition TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE dataset_versions (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        saved_id TEXT NOT NULL REFERENCES saved_datasets(id),
        registered_id TEXT NOT NULL,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE INDEX dataset_versions_saved ON dataset_versions(saved_id);
    CREATE TABLE dataset_lineage (
        dataset_id TEXT NOT NULL,
        consumer_kind TEXT NOT NULL,
        consumer_id TEXT NOT NULL,
        role TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (dataset_id, consumer_kind, consumer_id, role)
    );
    """,
]
