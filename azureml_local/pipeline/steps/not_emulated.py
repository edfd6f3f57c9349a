"""What the step types that cannot run on this machine share: the submit-time refusal.

``AutoMLStep``, ``AzureBatchStep``, ``KustoStep``, ``SynapseSparkStep`` and ``_HDInsightStep`` import and
construct as in the SDK (same checks and messages), so a user's module that builds them loads;
their definition carries ``"not_emulated"``: ``pipeline/start.py`` refuses such a pipeline at
submit, before any run is recorded, with a message naming the step type and the nearest local
alternative (``NOT_EMULATED``).
"""
from __future__ import annotations

from typing import Any

NOT_EMULATED = {
    "AutoMLStep": ("AutoML runs in the Azure ML service", "a PythonScriptStep that trains your model (e.g. with "
                   "scikit-learn), or HyperDriveStep for a parameter search"),
    "AzureBatchStep": ("Azure Batch pools cannot exist here", "a CommandStep running the same executable and "
                       "arguments on this machine"),
    "KustoStep": ("Azure Data Explorer (Kusto) is not emulated", "a PythonScriptStep that runs the query with "
                  "azure-kusto-data against a real cluster, or over a local copy of the data"),
    "SynapseSparkStep": ("Synapse Spark pools cannot exist here", "a PythonScriptStep running the same PySpark "
                         "script with a local SparkSession (pip install pyspark), or a DatabricksStep"),
    "HDInsightStep": ("HDInsight clusters cannot exist here", "a PythonScriptStep with a local SparkSession "
                      "(pip install pyspark), or a DatabricksStep with main_class_name for a JAR"),
}


def not_emulated_message(step_type: str, name: str) -> str:
    reason, alternative = NOT_EMULATED[step_type]
    return (f"Step '{name}' ({step_type}) cannot run locally: {reason}. Nearest local alternative: "
            f"{alternative}. Nothing was submitted.")


def not_emulated_definition(step: Any, compute_name: str | None, **extra: Any) -> dict:
    """The definition of a step that is refused at submit (its settings kept for the record)."""
    return {"kind": step.step_type, "compute_target": compute_name, "allow_reuse": bool(getattr(step, "_allow_reuse", True)),
            "version": getattr(step, "_version", None), "execution_type": "not_emulated",
            "not_emulated": not_emulated_message(step.step_type, step.name), **extra}
