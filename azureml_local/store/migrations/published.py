"""Published pipelines, pipeline endpoints (and their versions), pipeline drafts.

A published pipeline holds its definition (docs/pipeline-definition.md) as it was when
published: nothing updates ``definition`` afterwards (immutability), only ``status``.
Status strings are the SDK's: Active, Disabled, Deprecated.
"""

STEPS = [
    """
    CREATE TABLE published_pipelines (
        id TEXT PRIMARY KEY,
        name TEXT,
        description TEXT,
        version TEXT,
        status TEXT NOT NULL DEFAULT 'Active',     -- Active | Disabled | Deprecated
        continue_on_step_failure INTEGER,          -- NULL: not set when published (runs use False)
        definition TEXT NOT NULL,                  -- JSON, never updated
        graph_id TEXT NOT NULL,
        total_run_steps INTEGER NOT NULL,
        source_run_id TEXT,                        -- PipelineRun.publish_pipeline: the run it came from
        created_utc TEXT NOT NULL,
        modified_utc TEXT NOT NULL
    );
    CREATE INDEX published_pipelines_status ON published_pipelines(status);
    """,
    """
    CREATE TABLE pipeline_endpoints (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,                 -- archive() renames to a uuid, freeing the name
        description TEXT,
        status TEXT NOT NULL DEFAULT 'Active',
        default_version TEXT NOT NULL,
        created_utc TEXT NOT NULL,
        modified_utc TEXT NOT NULL
    );
    CREATE INDEX pipeline_endpoints_status ON pipeline_endpoints(status);
    CREATE TABLE pipeline_endpoint_versions (
        endpoint_id TEXT NOT NULL REFERENCES pipeline_endpoints(id),
        version TEXT NOT NULL,                     -- "0", "1", ...
        pipeline_id TEXT NOT NULL REFERENCES published_pipelines(id),
        created_utc TEXT NOT NULL,
        PRIMARY KEY (endpoint_id, version),
        UNIQUE (endpoint_id, pipeline_id)
    );
    """,
    """
    CREATE TABLE pipeline_drafts (
        id TEXT PRIMARY KEY,
        name TEXT,
        description TEXT,
        experiment_name TEXT,
        definition TEXT NOT NULL,                  -- JSON, replaced by update(pipeline=...)
        parameters TEXT NOT NULL DEFAULT '{}',     -- pipeline_parameters, JSON
        continue_on_step_failure INTEGER,
        tags TEXT NOT NULL DEFAULT '{}',
        properties TEXT NOT NULL DEFAULT '{}',
        graph_draft_id TEXT NOT NULL,
        parent_pipeline_id TEXT,
        parent_pipeline_run_id TEXT,
        parent_step_run_ids TEXT NOT NULL DEFAULT '[]',
        parent_pipeline_draft_id TEXT,
        last_submitted_pipeline_run_id TEXT,
        created_utc TEXT NOT NULL,
        modified_utc TEXT NOT NULL
    );
    """,
]
