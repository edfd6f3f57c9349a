"""SDK-shaped notebook code, unmodified: compute create idiom, environments from conda YAML, models."""
from pathlib import Path

CONDA_YML = """name: sklearn-env
channels:
  - conda-forge
dependencies:
  - python=3.11
  - scikit-learn
  - pip
  - pip:
    - azureml-defaults
"""


def test_compute_create_idiom(ws, capsys):
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    cpu_cluster_name = "cpu-cluster"
    try:
        cpu_cluster = ComputeTarget(workspace=ws, name=cpu_cluster_name)
        print("Found existing cluster, use it.")
    except ComputeTargetException:
        compute_config = AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4)
        cpu_cluster = ComputeTarget.create(ws, cpu_cluster_name, compute_config)
    cpu_cluster.wait_for_completion(show_output=True, min_node_count=None, timeout_in_minutes=20)
    print(cpu_cluster.get_status().serialize())
    out = capsys.readouterr().out
    assert "Found existing cluster" not in out
    assert 'SucceededProvisioning operation finished, operation "Succeeded"' in out
    assert "Minimum number of nodes requested have been provisioned" in out
    assert "'maxNodeCount': 4" in out

    # second notebook run: the cluster is found
    try:
        cpu_cluster = ComputeTarget(workspace=ws, name=cpu_cluster_name)
        print("Found existing cluster, use it.")
    except ComputeTargetException:
        raise AssertionError("cluster should exist")
    cpu_cluster.wait_for_completion(show_output=True)
    assert "Found existing cluster, use it." in capsys.readouterr().out
    assert cpu_cluster_name in ws.compute_targets and ws.compute_targets[cpu_cluster_name].type == "AmlCompute"


def test_environment_from_conda_yaml(ws):
    from azureml.core import Environment, RunConfiguration
    from azureml.core.conda_dependencies import CondaDependencies
    from azureml.core.runconfig import DEFAULT_CPU_IMAGE

    Path("environment.yml").write_text(CONDA_YML)
    env = Environment.from_conda_specification(name="sklearn-env", file_path="environment.yml")
    env.docker.base_image = DEFAULT_CPU_IMAGE
    env.register(workspace=ws)

    restored = Environment.get(workspace=ws, name="sklearn-env")
    assert restored.version == "1"
    assert "scikit-learn" in list(restored.python.conda_dependencies.conda_packages)

    run_config = RunConfiguration()
    run_config.environment = restored
    run_config.target = "cpu-cluster"
    deps = CondaDependencies.create(pip_packages=["pandas"], conda_packages=["numpy"])
    run_config.environment.python.conda_dependencies = deps
    assert run_config.environment.python.conda_dependencies.serialize_to_string().count("pandas") == 1
    for name, e in Environment.list(workspace=ws).items():
        assert name == e.name
    assert "AzureML-Minimal" in ws.environments


def test_register_and_list_models(ws):
    from azureml.core import Model
    from azureml.core.model import Model as ModelFromModule

    Path("outputs").mkdir()
    Path("outputs/model.pkl").write_bytes(b"\x80\x04pickle")
    model = Model.register(workspace=ws, model_path="outputs/model.pkl", model_name="diabetes_model",
                           tags={"Training context": "Script"}, properties={"AUC": 0.9, "Accuracy": 0.8},
                           description="Diabetes classification")
    assert ModelFromModule is Model
    names = []
    for m in Model.list(ws):
        names.append(m.name)
        print(m.name, "version:", m.version)
        for tag_name in m.tags:
            print("\t", tag_name, ":", m.tags[tag_name])
        for prop_name in m.properties:
            print("\t", prop_name, ":", m.properties[prop_name])
    assert names == ["diabetes_model"] and model.version == 1
    path = Model.get_model_path("diabetes_model", _workspace=ws)
    assert Path(path).read_bytes() == b"\x80\x04pickle"


def test_model_path_and_register_inside_a_submitted_run(ws):
    from azureml.core import Environment, Experiment, Model, ScriptRunConfig

    Path("model.txt").write_text("weights-v1")
    Model.register(ws, model_path="model.txt", model_name="scorer")
    Path("src").mkdir()
    Path("src/score.py").write_text(
        "import os\n"
        "from azureml.core import Run\n"
        "from azureml.core.model import Model\n"
        "run = Run.get_context()\n"
        "path = Model.get_model_path('scorer')\n"
        "run.log('content', open(path).read())\n"
        "os.makedirs('outputs', exist_ok=True)\n"
        "open('outputs/new_model.txt', 'w').write('weights-v2')\n")
    env = Environment("score-env")
    env.python.user_managed_dependencies = True
    config = ScriptRunConfig(source_directory="src", script="score.py", environment=env)
    run = Experiment(ws, "scoring").submit(config)
    run.wait_for_completion(show_output=False)
    assert run.get_status() == "Completed"
    assert run.get_metrics()["content"] == "weights-v1"
    model = run.register_model(model_name="scorer", model_path="outputs/new_model.txt")
    assert model.version == 2 and model.run_id == run.id
    assert Path(Model.get_model_path("scorer", _workspace=ws)).read_text() == "weights-v2"
