"""HTTP routers of the workspace service, one module per area (``system``, ``pipelines``).

Each router only parses the request, calls a component held on ``app.state`` (or a ctx-level
function) and serialises its answer; ``service/app.py`` mounts them behind the bearer-token
dependency and installs the Azure-shaped error handlers (``service/rest/errors.py``).
"""
