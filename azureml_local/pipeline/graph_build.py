"""From the ``steps`` a user hands to ``Pipeline`` to a graph of nodes and edges.

Mirrors the SDK's ``_PipelineGraphBuilder``: a list has no implied order, a
``StepSequence`` orders its elements, a ``PipelineData`` stands for its producer,
and (``resolve_closure``) producers and ``run_after`` steps not listed are pulled in.
Errors are the SDK's. Nothing here hashes files or touches the workspace.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from azureml_local.pipeline.builder import PipelineData, PipelineStep, StepSequence
from azureml_local.pipeline.builder_args import input_port_name, output_port_name
from azureml_local.pipeline.builder_io import is_a, is_consumption, is_output_config, producer_of, same_origin


@dataclass
class Node:
    """One step in the graph; ``run_after`` are control edges, ``producers`` data edges (node ids)."""

    node_id: str
    step: PipelineStep
    run_after: list[str] = field(default_factory=list)
    producers: dict[str, str] = field(default_factory=dict)  # input port name -> producing node id
    producer_outputs: dict[str, str] = field(default_factory=dict)  # input port name -> producer's output name

    @property
    def name(self) -> str:
        return self.step.name


class Graph:
    """The nodes of a pipeline, in the order they were added."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._by_step: dict[int, Node] = {}

    def add(self, step: PipelineStep) -> Node:
        node_id = uuid.uuid4().hex[:8]
        while node_id in self.nodes:
            node_id = uuid.uuid4().hex[:8]
        node = Node(node_id, step)
        self.nodes[node_id] = node
        self._by_step[id(step)] = node
        return node

    def node_of(self, step: PipelineStep) -> Node | None:
        return self._by_step.get(id(step))

    def predecessors(self, node: Node) -> list[str]:
        return list(dict.fromkeys(list(node.producers.values()) + node.run_after))

    def find_cycle(self) -> str | None:
        """``"Cycle detected including node <name>(<id>)"`` for the first cycle found, else None."""
        white, gray, black = 0, 1, 2
        color = {n: white for n in self.nodes}

        def visit(node_id: str) -> str | None:
            color[node_id] = gray
            for pred in self.predecessors(self.nodes[node_id]):
                if color.get(pred) == gray:
                    node = self.nodes[node_id]
                    return "Cycle detected including node %s(%s)" % (node.name, node.node_id)
                if color.get(pred) == white:
                    found = visit(pred)
                    if found:
                        return found
            color[node_id] = black
            return None

        for node_id in self.nodes:
            if color[node_id] == white:
                found = visit(node_id)
                if found:
                    return found
        return None

    def topological_order(self) -> list[Node]:
        done: set[str] = set()
        order: list[Node] = []

        def visit(node_id: str) -> None:
            if node_id in done:
                return
            done.add(node_id)
            for pred in self.predecessors(self.nodes[node_id]):
                visit(pred)
            order.append(self.nodes[node_id])

        for node_id in self.nodes:
            visit(node_id)
        return order


class GraphBuilder:
    """Builds a :class:`Graph`; one builder per ``Pipeline``."""

    def __init__(self, resolve_closure: bool = True):
        self._resolve_closure = resolve_closure
        self._graph = Graph()
        self._sequences: list[list[list[Node]]] = []
        self._known_steps: list[PipelineStep] = []

    def build(self, steps: Any) -> Graph:
        self._known_steps = list(_walk_steps(steps))
        self._process_collection(steps)
        for sequence in reversed(self._sequences):
            predecessors: list[Node] = []
            for successors in sequence:
                for successor in successors:
                    for predecessor in predecessors:
                        if predecessor.node_id not in successor.run_after:
                            successor.run_after.append(predecessor.node_id)
                predecessors = successors
        return self._graph

    def _process_collection(self, collection: Any) -> list[Node]:
        if isinstance(collection, PipelineData):
            if collection._producer is None:
                raise ValueError("Cannot build graph as step output [%s] does not have a producer. "
                                 "Please add to the outputs list of the step that produces it" % collection._name)
            collection = collection._producer
        if isinstance(collection, PipelineStep):
            return self._process_step(collection)
        if isinstance(collection, StepSequence):
            elements = [self._process_collection(item) for item in collection]
            self._sequences.append(elements)
            return [n for element in elements for n in element]
        if isinstance(collection, list):
            return [n for item in collection for n in self._process_collection(item)]
        raise NotImplementedError("Can not add object of type {0} to Pipeline.".format(type(collection).__name__))

    def _process_step(self, step: PipelineStep) -> list[Node]:
        existing = self._graph.node_of(step)
        if existing is not None:
            return [existing]
        node = self._graph.add(step)
        added = [node]
        for value in step._inputs:
            producer = self._producer_for(step, value)
            if producer is None:
                continue
            producer_node = self._graph.node_of(producer)
            if producer_node is None:
                if not self._resolve_closure:
                    raise ValueError("Step [%s] is an input of step [%s] but is not in the pipeline; add it to the "
                                     "steps or use resolve_closure=True." % (producer.name, step.name))
                added.extend(self._process_step(producer))
                producer_node = self._graph.node_of(producer)
            node.producers[input_port_name(value)] = producer_node.node_id  # type: ignore[union-attr]
            node.producer_outputs[input_port_name(value)] = _output_name_in(producer, value)
        for predecessor in step.run_after_steps:
            predecessor_node = self._graph.node_of(predecessor)
            if predecessor_node is None:
                if not self._resolve_closure:
                    raise ValueError("Step [%s] must run before step [%s] but is not in the pipeline; add it to "
                                     "the steps or use resolve_closure=True." % (predecessor.name, step.name))
                added.extend(self._process_step(predecessor))
                predecessor_node = self._graph.node_of(predecessor)
            node.run_after.append(predecessor_node.node_id)  # type: ignore[union-attr]
        return added

    def _producer_for(self, step: PipelineStep, value: Any) -> PipelineStep | None:
        """The step producing what input ``value`` reads, or None for data that already exists."""
        source = value.bind_object if is_a(value, "InputPortBinding") else value
        from_output_config = is_consumption(source) and is_output_config(source.dataset)
        if not (from_output_config or isinstance(source, PipelineData) or is_a(source, "OutputPortBinding")
                or is_a(source, "PipelineOutputAbstractDataset")):
            return None
        producer = producer_of(source)
        if is_a(source, "PipelineOutputAbstractDataset"):
            _check_promoted(producer, source, input_port_name(value))
        if producer is None and from_output_config:
            producer = next((s for s in self._known_steps
                             if any(same_origin(o, source.dataset) for o in s._outputs if is_output_config(o))), None)
        if not isinstance(producer, PipelineStep):
            text = "Input " + input_port_name(value) + " on step " + step.name
            if producer is None:
                raise ValueError(text + " is not connected to any previous step" + ("." if from_output_config else ""))
            raise ValueError(text + " is connected to an invalid item: " + str(producer))
        return producer


def _check_promoted(producer: Any, source: Any, port_name: str) -> None:
    """An input read as a dataset (``PipelineData.as_dataset()``) needs a producer that promotes it (SDK)."""
    if producer is None:
        raise ValueError('The intermediate data "{}" does not have any producer step.'.format(source.name))
    if not any(is_a(o, "PipelineOutputAbstractDataset") and o._pipeline_data is source._pipeline_data
               for o in getattr(producer, "_outputs", [])):
        raise ValueError('Input "{}" is expected to be consumed as a dataset but '.format(port_name)
                         + 'the output "{}" is not promoted to a dataset. '.format(source._pipeline_data.name)
                         + "Please make sure you've passed the object returned by as_dataset to the outputs "
                         "parameter of the step.")


def _output_name_in(producer: PipelineStep, value: Any) -> str:
    """Name of the producer's output that input ``value`` reads (copies share an ``_origin``)."""
    source = value.bind_object if is_a(value, "InputPortBinding") else value
    if is_consumption(source):
        target = source.dataset
        for output in producer._outputs:
            origin = getattr(output, "_origin", None)
            if is_output_config(output) and (output is target or (
                    origin is not None and origin is getattr(target, "_origin", None))):
                return output_port_name(output)
        return target.name
    if is_a(source, "PipelineOutputAbstractDataset"):
        return source._output_name
    clone = getattr(source, "_cloned_source", None)  # a ModuleStep output: the port's copy is what is produced
    return (clone if getattr(source, "_producer", None) is None and clone is not None else source)._output_name


def _walk_steps(collection: Any):
    """Every step object mentioned directly in ``collection`` (for producer fallback lookups)."""
    if isinstance(collection, PipelineStep):
        yield collection
    elif isinstance(collection, (list, StepSequence)):
        for item in collection:
            yield from _walk_steps(item)
