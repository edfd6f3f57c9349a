"""HTTP routers of the workspace service, one module per area (``system`` now; REST areas next).

Each router only parses the request, calls a component held on ``app.state`` and returns
its answer; ``service/app.py`` mounts them behind the bearer-token dependency.
"""
