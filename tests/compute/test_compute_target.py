"""Compute targets: the SDK's create idiom, printed output, subclasses, bad input."""
import os

import pytest

from azureml.core import ComputeTarget
from azureml.core.compute import AdlaCompute, AmlCompute, ComputeInstance, DatabricksCompute, RemoteCompute
from azureml.core.compute_target import ComputeTargetException
from azureml.exceptions import UserErrorException


def _create(ws, name="cpu-cluster", max_nodes=4):
    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=max_nodes)
    return ComputeTarget.create(ws, name, config)


def test_try_except_create_idiom_and_output(ws, capsys):
    with pytest.raises(ComputeTargetException) as info:
        ComputeTarget(workspace=ws, name="cpu-cluster")
    assert "ComputeTargetNotFound: Compute Target with name cpu-cluster not found in provided workspace" \
        in info.value.message
    cluster = _create(ws)
    assert isinstance(cluster, AmlCompute) and cluster.provisioning_state == "Creating"
    cluster.wait_for_completion(show_output=True)
    out = capsys.readouterr().out
    assert out == ('InProgress.\nSucceededProvisioning operation finished, operation "Succeeded"\n'
                   "Succeeded\nAmlCompute wait for completion finished\n\n"
                   "Minimum number of nodes requested have been provisioned\n")
    again = ComputeTarget(workspace=ws, name="cpu-cluster")
    assert type(again) is AmlCompute and again.provisioning_state == "Succeeded"
    assert again.scale_settings.maximum_node_count == 4 and again.vm_size == "STANDARD_D2_V2"
    status = again.get_status().serialize()
    assert status["provisioningState"] == "Succeeded" and status["scaleSettings"]["maxNodeCount"] == 4
    assert "cpu-cluster" in ws.compute_targets and ws.compute_targets["cpu-cluster"].type == "AmlCompute"


def test_serialize_deserialize_update_delete(ws, capsys):
    cluster = _create(ws, "c1")
    data = cluster.serialize()
    clone = AmlCompute.deserialize(ws, data)
    assert clone.name == "c1" and clone.scale_settings.maximum_node_count == 4
    cluster.update(max_nodes=2)
    assert AmlCompute(ws, "c1").scale_settings.maximum_node_count == 2
    with pytest.raises(ComputeTargetException, match="Detach is not supported"):
        cluster.detach()
    cluster.delete()
    cluster.wait_for_completion(show_output=True, is_delete_operation=True)
    assert 'operation "Succeeded"' in capsys.readouterr().out
    assert "c1" not in ws.compute_targets


def test_local_always_exists_and_is_reserved(ws):
    local = ComputeTarget(ws, "local")
    assert local.name == "local" and local.type == "local"
    assert "local" not in ws.compute_targets
    with pytest.raises(UserErrorException, match="reserved name"):
        _create(ws, "local")


def test_bad_provisioning_configs(ws):
    with pytest.raises(ComputeTargetException, match="max nodes count is mandatory"):
        ComputeTarget.create(ws, "c2", AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2"))
    with pytest.raises(ComputeTargetException, match="greater than or equal to min nodes"):
        ComputeTarget.create(ws, "c2", AmlCompute.provisioning_configuration(min_nodes=3, max_nodes=1))
    with pytest.raises(ComputeTargetException, match="Invalid compute name"):
        _create(ws, "bad name!")
    with pytest.raises(ComputeTargetException, match="Invalid provisioning configuration"):
        ComputeTarget.create(ws, "c3", object())
    assert ws.compute_targets == {}


def test_attach_types(ws, capsys):
    adla = ComputeTarget.attach(ws, "adla1", AdlaCompute.attach_configuration(resource_group="rg",
                                                                              account_name="acct"))
    adla.wait_for_completion()
    fetched = ComputeTarget(ws, "adla1")
    assert type(fetched) is AdlaCompute and fetched.cluster_resource_id.endswith(
        "/Microsoft.DataLakeAnalytics/accounts/acct")
    with pytest.raises(ComputeTargetException, match="Please provide resource_group and account_name"):
        AdlaCompute.attach_configuration().validate_configuration()
    remote = ComputeTarget.attach(ws, "vm1", RemoteCompute.attach_configuration(
        username="me", address="10.0.0.1", password="pw"))
    assert type(ComputeTarget(ws, "vm1")) is RemoteCompute and remote.is_attached
    with pytest.raises(ComputeTargetException, match="access_token"):
        ComputeTarget.attach(ws, "dbx", DatabricksCompute.attach_configuration(resource_group="rg",
                                                                               workspace_name="w"))
    ci = ComputeTarget.create(ws, "ci1", ComputeInstance.provisioning_configuration(vm_size="STANDARD_DS3_V2"))
    ci.stop()
    assert ComputeTarget(ws, "ci1").get_status().state == "Stopped"
    with pytest.raises(ComputeTargetException, match="already used by a compute target of type"):
        _create(ws, "ci1")
    with pytest.raises(ComputeTargetException, match="Long running operation information not known"):
        ComputeTarget(ws, "vm1").wait_for_completion()
    remote.detach()
    assert "vm1" not in ws.compute_targets


def test_deprecated_attach_and_aks_update(ws):
    from azureml.core.compute import AksCompute
    from azureml.core.compute.aks import AksUpdateConfiguration

    with pytest.raises(ComputeTargetException, match="This method is DEPRECATED"):
        AdlaCompute.attach(ws, "x", "/subscriptions/s/resourceGroups/r/providers/Microsoft.DataLakeAnalytics/a/b")
    aks = ComputeTarget.create(ws, "aks1", AksCompute.provisioning_configuration(
        cluster_purpose=AksCompute.ClusterPurpose.DEV_TEST))
    aks.update(AksUpdateConfiguration(load_balancer_type="InternalLoadBalancer"))
    assert ComputeTarget(ws, "aks1").load_balancer_type == "InternalLoadBalancer"
    with pytest.raises(ComputeTargetException, match="Invalid load_balancer_type"):
        aks.update(AksUpdateConfiguration(load_balancer_type="Nope"))


def test_copy_and_pickle(ws):
    import copy
    import pickle

    cluster = _create(ws, "c9")
    clone = copy.deepcopy(cluster)
    assert type(clone) is AmlCompute and clone.name == "c9"
    again = pickle.loads(pickle.dumps(ComputeTarget(ws, "c9")))
    assert again.scale_settings.maximum_node_count == 4 and again.workspace == ws
