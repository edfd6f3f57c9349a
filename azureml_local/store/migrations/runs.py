"""Experiments, runs and everything recorded about a run (area ``runs``).

Concurrency: every multi-row write goes through ``Database.transaction``
(``BEGIN IMMEDIATE``), so the runner, step processes and notebooks can write at
once without losing rows. The queue is a table (``run_queue``) rather than a
status scan so dispatch is one ``DELETE ... RETURNING`` per claimed run.
"""

STEPS = [
    """
    CREATE TABLE experiments (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        archived_time TEXT,
        created_utc TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}'
    );
    CREATE UNIQUE INDEX experiments_active_name ON experiments(name) WHERE archived_time IS NULL;

    CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        experiment_id TEXT NOT NULL REFERENCES experiments(id),
        parent_run_id TEXT,
        root_run_id TEXT NOT NULL,
        run_type TEXT NOT NULL,
        status TEXT NOT NULL,
        name TEXT,
        display_name TEXT,
        description TEXT,
        target TEXT NOT NULL DEFAULT 'local',
        created_utc TEXT NOT NULL,
        start_time_utc TEXT,
        end_time_utc TEXT,
        definition TEXT NOT NULL DEFAULT '{}',
        error TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        run_number INTEGER NOT NULL,
        snapshot_id TEXT,
        work_dir TEXT,
        pid INTEGER,
        runner_pid INTEGER,
        submitted_by TEXT
    );
    CREATE INDEX runs_experiment ON runs(experiment_id, created_utc);
    CREATE INDEX runs_parent ON runs(parent_run_id);
    CREATE INDEX runs_status ON runs(status);

    CREATE TABLE run_tags (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (run_id, key)
    );
    CREATE TABLE run_properties (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value TEXT,
        PRIMARY KEY (run_id, key)
    );
    CREATE TABLE run_metrics (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        step INTEGER,
        description TEXT,
        created REAL NOT NULL
    );
    CREATE INDEX run_metrics_run ON run_metrics(run_id, name, id);
    CREATE TABLE run_artifacts (
        run_id TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        blob_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (run_id, path)
    );
    CREATE TABLE run_queue (
        run_id TEXT PRIMARY KEY REFERENCES runs(run_id) ON DELETE CASCADE,
        handler TEXT,
        enqueued REAL NOT NULL
    );
    CREATE TABLE snapshot_file_hashes (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );
    """,
]
