"""Compute targets (``azureml.core.compute``): registry records, no machines.

Module map: :mod:`.compute_target` (base class, configurations), :mod:`.amlcompute`
(clusters), :mod:`.attached` (helpers, remote VMs, DSVM), :mod:`.instance` (ComputeInstance),
:mod:`.services` (ADLA, Batch, Databricks, Data Factory, Kusto, HDInsight, Synapse),
:mod:`.kubernetes` (AKS, Kubernetes), :mod:`.registry` (database
records plus ``max_concurrency`` for the pipeline engine), :mod:`.types` (stored record -> subclass),
:mod:`.resolve` (name -> ComputeTarget, ``resolve_compute``), :mod:`.legacy` (``azureml.core.compute_target``).
"""
from __future__ import annotations

