"""Pipeline execution state: submitted definitions, step runs and the reuse store.

The generic run record (status, times, tags, logs, metrics) lives in the run
engineer's ``runs`` area; these tables only hold what is pipeline-specific.
"""

STEPS = [
    """
    CREATE TABLE pipeline_runs (
        run_id TEXT PRIMARY KEY,
        experiment_name TEXT NOT NULL,
        definition TEXT NOT NULL,              -- docs/pipeline-definition.md, JSON
        parameters TEXT NOT NULL DEFAULT '{}', -- submitted pipeline_parameters, JSON
        regenerate_outputs INTEGER NOT NULL DEFAULT 0,
        continue_on_step_failure INTEGER NOT NULL DEFAULT 0,
        parent_run_id TEXT,
        pipeline_id TEXT,                      -- published pipeline id, when started from one
        status TEXT NOT NULL DEFAULT 'NotStarted',
        error TEXT,
        created_utc TEXT NOT NULL,
        start_utc TEXT,
        end_utc TEXT,
        runner_pid INTEGER,                    -- orchestrating process, for orphan detection
        cancel_requested INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX pipeline_runs_status ON pipeline_runs(status);
    CREATE INDEX pipeline_runs_pipeline ON pipeline_runs(pipeline_id);
    """,
    """
    CREATE TABLE pipeline_step_runs (
        step_run_id TEXT PRIMARY KEY,
        pipeline_run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'NotStarted',
        reused_run_id TEXT,                    -- original step run when reused
        reused_pipeline_run_id TEXT,
        reused_node_id TEXT,
        reuse_key TEXT,
        fingerprint TEXT,
        key_parts TEXT,                        -- JSON {part: digest} of the reuse key
        reason TEXT,                           -- why reused / re-run
        outputs TEXT NOT NULL DEFAULT '{}',    -- JSON {output name: {datastore, path, local_path, ...}}
        error TEXT,
        created_utc TEXT NOT NULL,
        start_utc TEXT,
        end_utc TEXT,
        pid INTEGER,
        UNIQUE(pipeline_run_id, node_id)
    );
    CREATE INDEX pipeline_step_runs_pipeline ON pipeline_step_runs(pipeline_run_id);
    CREATE INDEX pipeline_step_runs_name ON pipeline_step_runs(name, created_utc);
    """,
    """
    CREATE TABLE reuse_entries (
        reuse_key TEXT PRIMARY KEY,            -- fingerprint + input identities (or fingerprint only)
        fingerprint TEXT NOT NULL,             -- definition fingerprint from the construction side
        step_name TEXT NOT NULL,
        step_run_id TEXT NOT NULL,
        pipeline_run_id TEXT NOT NULL,
        node_id TEXT NOT NULL,
        outputs TEXT NOT NULL,                 -- JSON, as in pipeline_step_runs.outputs
        key_parts TEXT NOT NULL,
        created_utc TEXT NOT NULL
    );
    CREATE INDEX reuse_entries_fingerprint ON reuse_entries(fingerprint);
    """,
    """
    ALTER TABLE pipeline_runs ADD COLUMN reuse_mode TEXT;  -- content | definition, fixed at submit
    """,
    """
    -- status, times, errors and process ids live only in the run history (runs): one home of status
    DROP INDEX pipeline_runs_status;
    ALTER TABLE pipeline_runs DROP COLUMN status;
    ALTER TABLE pipeline_runs DROP COLUMN error;
    ALTER TABLE pipeline_runs DROP COLUMN start_utc;
    ALTER TABLE pipeline_runs DROP COLUMN end_utc;
    ALTER TABLE pipeline_runs DROP COLUMN runner_pid;
    ALTER TABLE pipeline_runs DROP COLUMN cancel_requested;
    ALTER TABLE pipeline_step_runs DROP COLUMN status;
    ALTER TABLE pipeline_step_runs DROP COLUMN error;
    ALTER TABLE pipeline_step_runs DROP COLUMN start_utc;
    ALTER TABLE pipeline_step_runs DROP COLUMN end_utc;
    ALTER TABLE pipeline_step_runs DROP COLUMN pid;
    """,
]
