"""Module, ModuleVersion and ModuleStep on a real workspace store: create/get, publish, versions,
default and resolution, statuses, printed forms, and the SDK's messages (nothing written on error)."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def calc(tmp_path: Path) -> Path:
    folder = tmp_path / "calc"
    folder.mkdir()
    (folder / "calc.py").write_text("print('hi')\n")
    return folder


def _module(ws, calc, name="Calc"):
    from azureml.pipeline.core import Module
    from azureml.pipeline.core.graph import InputPortDef, OutputPortDef

    module = Module.create(ws, name=name, description="a calculator")
    v1 = module.publish_python_script("calc.py", "first", inputs=[], outputs=[OutputPortDef(name="out")],
                                      params={"n": 1}, version="1", source_directory=str(calc))
    v2 = module.publish_python_script("calc.py", "second", inputs=[InputPortDef(name="in1")],
                                      outputs=[OutputPortDef(name="out")], version="2", source_directory=str(calc))
    return module, v1, v2


def test_create_publish_get_and_print(ws, calc):
    from azureml.pipeline.core import Module, ModuleVersion

    module, v1, v2 = _module(ws, calc)
    assert (v1.version, v1.status, v1.description, v1.module_id) == ("1", "Active", "first", module.id)
    assert [p.name for p in v2.interface.inputs] == ["in1"] and [p.name for p in v2.interface.outputs] == ["out"]
    assert {p.name: p.default_value for p in v1.interface.parameters} == {"n": 1, "Script": "calc.py"}
    again = Module.get(ws, name="Calc")
    assert (again.id, again.description, again.status, again.default_version) == (module.id, "a calculator",
                                                                                  "Active", None)
    assert [(d.version, d.module_version_id) for d in again.module_version_list()] == [
        ("1", v1.module_version_id), ("2", v2.module_version_id)]
    assert Module.get(ws, module_id=module.id).name == "Calc"
    assert [d.version for d in Module.get_versions(ws, "Calc")] == ["1", "2"]
    assert ModuleVersion.get(ws, v2.module_version_id).module().name == "Calc"
    assert str(module).startswith("Module(Name: Calc,\nId: ") and f"('1', '{v1.module_version_id}')" in str(module)
    assert str(v1) == (f"ModuleVersion(status: Active,\nversion: 1,\nmodule_id: {module.id},\n"
                       f"module_version_id: {v1.module_version_id})")


def test_publish_snapshots_the_source(ws, calc):
    module, v1, _ = _module(ws, calc)
    (calc / "calc.py").write_text("print('changed')\n")
    snapshot = Path(v1._entity["definition"]["snapshot_dir"])
    assert (snapshot / "calc.py").read_text() == "print('hi')\n"


def test_resolve_default_and_statuses(ws, calc):
    from azureml.pipeline.core import Module

    module, v1, v2 = _module(ws, calc)
    assert module.resolve().version == "2"               # highest numeric version
    assert module.resolve("1").version == "1"
    v2.disable()
    assert Module.get(ws, name="Calc").resolve().version == "1"  # disabled versions are skipped
    assert Module.get(ws, name="Calc").resolve("2").status == "Disabled"  # unless asked for by number
    module.set_default_version("2")
    assert Module.get(ws, name="Calc").default_version == "2" and module.get_default().version == "2"
    module.deprecate()
    assert Module.get(ws, name="Calc").status == "Deprecated"
    module.enable()
    v2.enable()
    v2.set_description("second, edited")
    assert Module.get(ws, name="Calc").resolve("2").description == "second, edited"
    module.set_description("new")
    assert Module.get(ws, name="Calc").description == "new"


def test_sdk_messages_and_nothing_written(ws, calc):
    from azureml.pipeline.core import Module

    module, _, _ = _module(ws, calc)
    with pytest.raises(Exception, match="^provided version value already exist$"):
        module.publish_python_script("calc.py", "dup", inputs=[], outputs=[], version="1",
                                     source_directory=str(calc))
    with pytest.raises(Exception, match="^provided version is not part of the module$"):
        module.set_default_version("9")
    with pytest.raises(Exception, match="^No version was provided to be set as default$"):
        module.set_default_version(None)
    with pytest.raises(ValueError, match=r"^Step \[Calc\]: script not found at: "):
        module.publish_python_script("nope.py", "x", inputs=[], outputs=[], source_directory=str(calc))
    with pytest.raises(ValueError, match="already exists"):
        Module.create(ws, name="Calc", description="again")
    with pytest.raises(ValueError, match="No module with name 'Other'"):
        Module.get(ws, name="Other")
    assert [d.version for d in Module.get(ws, name="Calc").module_version_list()] == ["1", "2"]


def test_module_step_validation(ws, calc):
    from azureml.pipeline.core import Pipeline, PipelineData
    from azureml.pipeline.steps import ModuleStep

    module, v1, _ = _module(ws, calc)
    with pytest.raises(ValueError, match="^Exactly one of module or module_version is required but both are missing$"):
        ModuleStep()
    with pytest.raises(ValueError, match="^Exactly one of module or module_version is required but both are provided$"):
        ModuleStep(module=module, module_version=v1)
    out = PipelineData("result")
    step = ModuleStep(module_version=v1, outputs_map={"out": out})
    assert step.name == "Calc" and out._cloned_source._output_name == "out"
    Pipeline(workspace=ws, steps=[step])
    bad = ModuleStep(module=module, version="1", outputs_map={"nope": PipelineData("x")})
    with pytest.raises(ValueError, match=r"has no output port named 'nope' \(its output ports: out\)"):
        Pipeline(workspace=ws, steps=[bad])
    unwired = ModuleStep(module=module, version="2")
    with pytest.raises(ValueError, match="the required input port 'in1' of the module version is not mapped"):
        Pipeline(workspace=ws, steps=[unwired])
