"""Attached data/analytics services: ADLA, Batch, Databricks, Data Factory, Kusto, HDInsight, Synapse.

Each is a record of what was attached; steps that name them still run on this machine.
"""
from __future__ import annotations

from typing import Any

from azureml_local.compute.compute_target import (
    ComputeTargetAttachConfiguration, ComputeTargetProvisioningConfiguration)
from azureml_local.exceptions import ComputeTargetException
from azureml_local.compute.attached import _AttachedTarget, _deprecated_attach, _ResourceAttachConfiguration


class DataLakeAnalyticsAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.DataLakeAnalytics/accounts", "ADLA", "account_name"

    def __init__(self, resource_group: str | None = None, account_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(AdlaCompute)
        self.resource_group = resource_group
        self.account_name = account_name
        self.resource_id = resource_id


class AdlaCompute(_AttachedTarget):
    _compute_type = "DataLakeAnalytics"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("ADLA", 'AdlaCompute.attach_configuration(resource_group="name_of_resource_group", account_name="name_of_adla_account")')

    @staticmethod
    def attach_configuration(resource_group: str | None = None, account_name: str | None = None,
                             resource_id: str | None = None) -> DataLakeAnalyticsAttachConfiguration:
        return DataLakeAnalyticsAttachConfiguration(resource_group, account_name, resource_id)


class BatchAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Batch/batchAccounts", "Batch", "account_name"

    def __init__(self, resource_group: str | None = None, account_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(BatchCompute)
        self.resource_group = resource_group
        self.account_name = account_name
        self.resource_id = resource_id


class BatchCompute(_AttachedTarget):
    _compute_type = "Batch"

    @staticmethod
    def attach_configuration(resource_group: str | None = None, account_name: str | None = None,
                             resource_id: str | None = None) -> BatchAttachConfiguration:
        return BatchAttachConfiguration(resource_group, account_name, resource_id)


class DatabricksAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Databricks/workspaces", "Databricks", "workspace_name"

    def __init__(self, resource_group: str | None = None, workspace_name: str | None = None,
                 resource_id: str | None = None, access_token: str = ""):
        super().__init__(DatabricksCompute)
        self.resource_group = resource_group
        self.workspace_name = workspace_name
        self.resource_id = resource_id
        self.access_token = access_token

    def validate_configuration(self) -> None:
        super().validate_configuration()
        if not self.access_token:
            raise ComputeTargetException("access_token must be provided.")


class DatabricksCompute(_AttachedTarget):
    _compute_type = "Databricks"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str, access_token: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("Databricks", 'DatabricksCompute.attach_configuration(resource_group="name_of_resource_group", workspace_name="name_of_databricks_workspace", access_token="databricks_token")')

    @staticmethod
    def attach_configuration(resource_group: str | None = None, workspace_name: str | None = None,
                             resource_id: str | None = None, access_token: str = "") -> DatabricksAttachConfiguration:
        return DatabricksAttachConfiguration(resource_group, workspace_name, resource_id, access_token)


class DataFactoryProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    def __init__(self, location: str | None):
        super().__init__(DataFactoryCompute, location)


class DataFactoryAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.DataFactory/factories", "Data Factory", "factory_name"

    def __init__(self, resource_group: str | None = None, factory_name: str | None = None,
                 resource_id: str | None = None):
        super().__init__(DataFactoryCompute)
        self.resource_group = resource_group
        self.factory_name = factory_name
        self.resource_id = resource_id


class DataFactoryCompute(_AttachedTarget):
    _compute_type = "DataFactory"

    @staticmethod
    def attach(workspace: Any, name: str, resource_id: str) -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("DataFactory", 'DataFactoryCompute.attach_configuration(resource_group="name_of_resource_group", factory_name="name_of_datafactory")')

    @staticmethod
    def provisioning_configuration(location: str | None = None) -> DataFactoryProvisioningConfiguration:
        return DataFactoryProvisioningConfiguration(location)

    @staticmethod
    def attach_configuration(resource_group: str | None = None, factory_name: str | None = None,
                             resource_id: str | None = None) -> DataFactoryAttachConfiguration:
        return DataFactoryAttachConfiguration(resource_group, factory_name, resource_id)


class KustoAttachConfiguration(_ResourceAttachConfiguration):
    _provider, _label, _name_attr = "Microsoft.Kusto/clusters", "Kusto", "workspace_name"

    def __init__(self, resource_group: str | None = None, workspace_name: str | None = None,
                 resource_id: str | None = None, tenant_id: str | None = None,
                 kusto_connection_string: str | None = None, application_id: str | None = None,
                 application_key: str | None = None):
        super().__init__(KustoCompute)
        self.resource_group = resource_group
        self.workspace_name = workspace_name
        self.resource_id = resource_id
        self.tenant_id = tenant_id
        self.kusto_connection_string = kusto_connection_string
        self.application_id = application_id
        self.application_key = application_key


class KustoCompute(_AttachedTarget):
    _compute_type = "Kusto"

    @staticmethod
    def attach_configuration(resource_group: str | None = None, workspace_name: str | None = None,
                             resource_id: str | None = None, tenant_id: str | None = None,
                             kusto_connection_string: str | None = None, application_id: str | None = None,
                             application_key: str | None = None) -> KustoAttachConfiguration:
        return KustoAttachConfiguration(resource_group, workspace_name, resource_id, tenant_id,
                                        kusto_connection_string, application_id, application_key)


class HDInsightAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, username: str, subscription_id: str | None = None, resource_group: str | None = None,
                 cluster_name: str | None = None, resource_id: str | None = None, address: str | None = None,
                 ssh_port: str = "22", password: str = "", private_key_file: str = "",
                 private_key_passphrase: str = ""):
        super().__init__(HDInsightCompute)
        self.username = username
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.cluster_name = cluster_name
        self.resource_id = resource_id
        self.address = address
        self.ssh_port = ssh_port
        self.password = password
        self.private_key_file = private_key_file
        self.private_key_passphrase = private_key_passphrase

    def validate_configuration(self) -> None:
        if not self.username:
            raise ComputeTargetException("username is not provided.")
        if not (self.address or self.resource_id or (self.resource_group and self.cluster_name)):
            raise ComputeTargetException("Please provide either the address, the resource_id, or resource_group "
                                         "and cluster_name of the HDInsight cluster being attached.")


class HDInsightCompute(_AttachedTarget):
    _compute_type = "HDInsight"

    @staticmethod
    def attach(workspace: Any, name: str, username: str, address: str, ssh_port: str = "22", password: str = "",
               private_key_file: str = "", private_key_passphrase: str = "") -> Any:  # type: ignore[override]
        """DEPRECATED: use ``attach_configuration`` with ``ComputeTarget.attach``."""
        raise _deprecated_attach("HDI", 'HDInsightCompute.attach_configuration(address="ip_address", ssh_port=22, username="username", password=None, private_key_file="path_to_a_file", private_key_passphrase="some_key_phrase")')

    @staticmethod
    def attach_configuration(username: str, subscription_id: str | None = None, resource_group: str | None = None,
                             cluster_name: str | None = None, resource_id: str | None = None,
                             address: str | None = None, ssh_port: str = "22", password: str = "",
                             private_key_file: str = "", private_key_passphrase: str = "") -> HDInsightAttachConfiguration:
        return HDInsightAttachConfiguration(username, subscription_id, resource_group, cluster_name, resource_id,
                                            address, ssh_port, password, private_key_file, private_key_passphrase)


class SynapseAttachConfiguration(ComputeTargetAttachConfiguration):
    def __init__(self, linked_service: Any, type: str, pool_name: str):
        super().__init__(SynapseCompute)
        self.linked_service = getattr(linked_service, "name", linked_service)
        self.type = type
        self.pool_name = pool_name

    def validate_configuration(self) -> None:
        if not self.linked_service:
            raise ComputeTargetException("linked_service is not provided.")
        if not self.pool_name:
            raise ComputeTargetException("pool_name is not provided.")


class SynapseCompute(_AttachedTarget):
    _compute_type = "SynapseSpark"

    @staticmethod
    def attach_configuration(linked_service: Any, type: str, pool_name: str) -> SynapseAttachConfiguration:
        return SynapseAttachConfiguration(linked_service, type, pool_name)
