"""What MLflow records that the run history has no column for (area ``mlflow``).

Runs, metrics, tags and artifacts of MLflow runs are ordinary run-history rows
(``store/migrations/runs.py``); this area holds only MLflow's own concepts: run
parameters (immutable strings), logged models (MLflow 3) and registered-model
headers (the versions themselves are rows of the ``models`` registry).
"""

STEPS = [
    """
    CREATE TABLE mlflow_params (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    );
    CREATE TABLE mlflow_logged_models (
        model_id TEXT PRIMARY KEY,
        experiment_id TEXT NOT NULL,
        run_id TEXT,
        name TEXT NOT NULL,
        artifact_location TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        model_type TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        params TEXT NOT NULL DEFAULT '{}',
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX mlflow_logged_models_run ON mlflow_logged_models(run_id);
    CREATE TABLE mlflow_registered_models (
        name TEXT PRIMARY KEY,
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL
    );
    """,
]
