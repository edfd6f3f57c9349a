"""HyperDrive: hyperparameter sweeps as child script runs of a ``hyperdrive`` run (docs/hyperdrive.md).

SDK classes (``parameter_expressions``, ``sampling``, ``policy``, ``config``, ``run``, ``step``) keep the
SDK's names, defaults and messages; ``samplers`` and ``policies`` are the pure maths; ``controller`` is the
``hyperdrive`` run handler in the workspace service and ``submit`` the ``Experiment.submit`` function.
"""
