"""Deployed web services (``store/webservices.py``): one row per service of the workspace.

``generation`` counts deployments of the same name (deploy, update): the scoring process of an
older generation stops itself, and only the current generation may report itself Healthy.
``port`` is chosen once, at the first deployment, so the scoring URI survives restarts.
"""

STEPS = [
    """
    CREATE TABLE webservices (
        name TEXT PRIMARY KEY,
        compute_type TEXT NOT NULL,            -- ACI | AKS | Local
        state TEXT NOT NULL,                   -- Transitioning | Healthy | Unhealthy | Failed | Deleting
        generation INTEGER NOT NULL DEFAULT 1,
        port INTEGER NOT NULL UNIQUE,
        pid INTEGER,                           -- the scoring process of the current generation
        primary_key TEXT,
        secondary_key TEXT,
        config TEXT NOT NULL DEFAULT '{}',     -- JSON: auth, token auth, resources, compute target...
        models TEXT NOT NULL DEFAULT '[]',     -- JSON: [{name, version, id}]
        inference TEXT NOT NULL DEFAULT '{}',  -- JSON: entry script, folder, environment variables
        error TEXT,                            -- JSON {code, message}
        description TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        properties TEXT NOT NULL DEFAULT '{}',
        created_utc TEXT NOT NULL,
        updated_utc TEXT NOT NULL
    );
    """,
]
