"""Registries owned by the environment/compute/model area: environments, compute targets, models."""

STEPS = [
    """
    CREATE TABLE environments (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        definition TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (name, version)
    );
    CREATE TABLE environment_labels (
        name TEXT NOT NULL,
        label TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (name, label)
    );
    CREATE TABLE compute_targets (
        name TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        provisioning_state TEXT NOT NULL,
        definition TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE TABLE models (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        run_id TEXT,
        created TEXT NOT NULL,
        PRIMARY KEY (name, version)
    );
    """,
    # 2: model versions are reserved ('uploading') before their files are uploaded, then marked 'ready'.
    "ALTER TABLE models ADD COLUMN state TEXT NOT NULL DEFAULT 'ready';",
]
