"""Schedules (``store/schedules.py``): definitions, fire history, datastore baselines.

``schedule_fires`` is both the history the CLI prints and the claim that makes firing exactly
once: a fire is a row unique per (schedule, fire key) inserted before its run is submitted, so
two schedulers (an exiting service and its successor) never start the same fire twice.
"""

STEPS = [
    """
    CREATE TABLE schedules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT,
        pipeline_id TEXT,                      -- published pipeline it submits, or
        pipeline_endpoint_id TEXT,             -- the pipeline endpoint (its default version)
        experiment_name TEXT NOT NULL,
        status TEXT NOT NULL,                  -- Active | Disabled
        schedule_type TEXT NOT NULL,           -- Recurrence | DataStore
        recurrence TEXT,                       -- JSON {frequency, interval, start_time, time_zone, hours, minutes, week_days}
        datastore_name TEXT,
        polling_interval INTEGER,              -- minutes
        data_path_parameter_name TEXT,
        path_on_datastore TEXT,
        continue_on_step_failure INTEGER,      -- NULL: the pipeline's own setting
        submission TEXT NOT NULL DEFAULT '{}', -- JSON {parameter_assignments, data_path_assignments, dataset_assignments}
        anchor_utc TEXT NOT NULL,              -- when the recurrence began (creation, or its last change)
        fired_through_utc TEXT NOT NULL,       -- time fires at or before this instant are claimed or skipped
        next_poll_utc TEXT,                    -- datastore schedules: when to list the blobs next
        created_utc TEXT NOT NULL,
        updated_utc TEXT NOT NULL
    );
    CREATE INDEX schedules_status ON schedules(status);
    CREATE INDEX schedules_pipeline ON schedules(pipeline_id);
    CREATE INDEX schedules_endpoint ON schedules(pipeline_endpoint_id);

    CREATE TABLE schedule_fires (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        fire_key TEXT NOT NULL,                -- time: the due instant; datastore: blob name and etag
        kind TEXT NOT NULL,                    -- Time | Blob
        due_utc TEXT NOT NULL,                 -- schedule clock
        blob_name TEXT,
        state TEXT NOT NULL,                   -- Claimed | Submitted | Failed | Skipped
        run_id TEXT,
        error TEXT,
        claimed_utc TEXT NOT NULL,             -- system clock
        claimed_by INTEGER,                    -- pid of the claiming scheduler
        finished_utc TEXT,
        UNIQUE (schedule_id, fire_key)
    );
    CREATE INDEX schedule_fires_state ON schedule_fires(state);

    CREATE TABLE schedule_blobs (              -- datastore schedules: blobs present when watching began
        schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        blob_name TEXT NOT NULL,
        etag TEXT NOT NULL,
        PRIMARY KEY (schedule_id, blob_name, etag)
    );
    """,
]
