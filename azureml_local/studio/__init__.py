"""The local Studio: what the workspace service's ``/studio`` pages and the CLI's listings show.

Page data is assembled here from the stores (``ctx.runs``, ``ctx.pipeline_runs``, ``ctx.published``,
``ctx.schedules``, ``ctx.registries``; paged queries in ``store/run_queries.py``) as plain dicts;
``render.py`` turns them into HTML with the package's own templates and static files (nothing
from a CDN); ``service/routes/studio.py`` only parses a request, calls one function here and
renders. No SDK class is imported: everything takes a ``WorkspaceContext``.
"""
