"""The run engine: executes one script job as one run (see docs/engine.md).

Import the modules themselves (``engine.execute``, ``engine.job``, ``engine.snapshot``...): this package
imports nothing, so reading a snapshot's hash (pipeline construction) does not load the process
machinery (launchers, psutil) that only the workspace service needs.
"""
