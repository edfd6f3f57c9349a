"""Compute targets (``azureml.core.compute``): registry records, no machines.

Module map: :mod:`.compute_target` (base class, configurations), :mod:`.amlcompute`
(clusters), :mod:`.attached` (helpers, remote VMs, DSVM), :mod:`.instance` (ComputeInstance),
:mod:`.services` (ADLA, Batch, Databricks, Data Factory, Kusto, HDInsight, Synapse),
:mod:`.kubernetes` (AKS, Kubernetes), :mod:`.registry` (database
records plus the helpers the engines call: ``max_concurrency``, ``resolve_compute``),
:mod:`.legacy` (``azureml.core.compute_target``).
"""
from __future__ import annotations


def _all_types() -> list[type]:
    """Every concrete ComputeTarget subclass (imports their modules on first use)."""
    from azureml_local.compute import amlcompute, attached, instance, kubernetes, services  # noqa: F401
    from azureml_local.compute.compute_target import ComputeTarget

    found: list[type] = []
    stack = list(ComputeTarget.__subclasses__())
    while stack:
        cls = stack.pop(0)
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found
