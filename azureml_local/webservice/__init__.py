"""Model deployment: ``azureml.core.webservice`` (SDK classes) over local scoring processes.

SDK layer: ``webservice.py`` (``Webservice``), ``aci.py``, ``aks.py``, ``local.py``, ``unknown.py``,
``configs.py`` (deployment configurations), ``deploy.py`` (``Model.deploy``/``Model.package``).
Below it, on a ``WorkspaceContext`` and plain values: ``layout.py`` (folders, ports, environment),
``staging.py`` (model and source files of one deployment), ``supervisor.py`` (the workspace
service starts and stops scoring processes), ``server.py`` (one scoring process), ``swagger.py``.
docs/deployment.md.
"""
