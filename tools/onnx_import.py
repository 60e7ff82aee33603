#!/usr/bin/python3
"""Convert an ONNX model of fully connected layers into a ctnn weights file and/or a C++ header.

  onnx_import.py model.onnx -o net.ctnn [--header net.hpp --namespace net] [--dtype float|double]

The model must be a chain: one input [N, F], then per layer a Gemm (transB 0 or 1, alpha and beta 1, transA 0), or a
MatMul by a constant [F, units] followed by an optional Add of a constant bias, then optionally a BatchNormalization in
inference mode (torch.nn.BatchNorm1d exported by model.eval()), which is folded into that layer's weight and bias
(scale = gamma / sqrt(var + epsilon), W' = W scale per unit, b' = (b - mean) scale + beta), then at most one activation:

  Relu -> ReLU, LeakyRelu(alpha) -> LeakyReLU::with<alpha>, Elu(alpha) -> ELU::with<alpha>, PRelu (constant slopes,
  one or one per unit) -> PReLU, Sigmoid -> Sigmoid, Tanh -> Tanh, Softplus -> Softplus, Softmax over the last axis
  (output layer only) -> Softmax; no activation -> Linear.

Identity nodes and Dropout in inference mode are skipped. Flatten(axis=1) and a Reshape to [N, F] of the model's input
are skipped too: ctnn's input is the sample flattened in row-major order. Alpha values are float32 attributes; ctnn's
are std::ratio template parameters, so each must be a fraction with a denominator up to 1000 that rounds to the same
float32 (0.1, 0.01, 0.5 do; a double network then uses the fraction itself, where ONNX runtimes use the float32
value, a difference of about 1e-8 relative on negative inputs). Anything else (Conv, a BatchNormalization anywhere
but right after a Gemm or MatMul (+ Add) or in training mode, Dropout in training mode, branches, ...) is refused with a
message that names the node (its op type and name) and exit status 1. The scalar type is the model input's (float or
double) unless --dtype says otherwise.

The same function is available to Python code: onnx_to_ctnn(path_or_model) -> (topology text, parameters).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # ctnn_io.py, beside this file

from ctnn_io import (  # noqa: E402
    InteropError, check_outputs, import_main, missing_module, ratio_text, to_ratio, write_outputs)

# The activation ops ctnn has, and the topology id each becomes (parametric ones are handled in _activation).
SIMPLE_ACTIVATIONS = {"Relu": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh", "Softplus": "softplus"}
KNOWN = {"Gemm", "MatMul", "Add", "BatchNormalization", "Identity", "Dropout", "Flatten", "Reshape", "LeakyRelu", "Elu",
         "PRelu", "Softmax", *SIMPLE_ACTIVATIONS}
SUPPORTED = ("Gemm, MatMul (+ Add), BatchNormalization (inference, right after Gemm or MatMul), Relu, LeakyRelu, Elu, "
             "PRelu, Sigmoid, Tanh, Softplus, Softmax, SiLU (Sigmoid then Mul), Identity, Dropout (inference), Flatten "
             "or Reshape of the input")


def _onnx():
    try:
        import onnx  # noqa: PLC0415 (imported late so that --help works without onnx)
        import onnx.helper  # noqa: PLC0415, F401
        import onnx.numpy_helper  # noqa: PLC0415, F401
    except ImportError:
        raise InteropError(missing_module("onnx")) from None
    return onnx


def load_model(path):
    """The onnx.ModelProto in file `path`, or an InteropError."""
    onnx = _onnx()
    if not Path(path).is_file():
        raise InteropError(f"{path} does not exist")
    try:
        return onnx.load(str(path))
    except Exception as error:  # noqa: BLE001 (protobuf's decode errors and onnx's own alike)
        raise InteropError(f"{path} is not an ONNX model ({type(error).__name__}: {' '.join(str(error).split())})") \
            from None


class _Layer:
    """A dense layer being read: weight [units][inputs], bias [units], activation id, PReLU slopes."""

    def __init__(self, weight, bias, node):
        self.weight, self.bias, self.node = weight, bias, node
        self.activation, self.activation_node, self.slopes = None, None, None


def _fold_batch_normalization(node, layers, refuse, constant, attribute) -> None:
    """Folds an inference BatchNormalization into the fully connected layer right before it (`layers[-1]`).

    y = gamma (z - mean) / sqrt(var + epsilon) + beta with z = W x + b is W' x + b', where scale = gamma / sqrt(var +
    epsilon), W' = W scaled by `scale` per output unit (row) and b' = (b - mean) scale + beta: the standard folding,
    as torch.nn.utils.fusion.fuse_linear_bn_eval does it. The inputs are the node's X, scale (gamma), B (beta),
    input_mean and input_var, one value per unit (channel axis 1 of an [N, units] tensor).
    """
    import numpy as np  # noqa: PLC0415

    if not layers:
        refuse("comes before the first Gemm or MatMul: ctnn folds a BatchNormalization into the fully connected "
               "layer right before it, and there is none; normalise the inputs before they reach the network")
    layer = layers[-1]
    if layer.activation is not None:
        refuse(f"follows {layer.activation_node}: ctnn folds a BatchNormalization only into the Gemm or MatMul "
               "(+ Add) right before it, not after an activation; put the BatchNorm between the Linear layer and "
               "its activation")
    # training_mode (opset 14 on) or the running-statistics outputs: the node normalises by the batch's statistics.
    if attribute(node, "training_mode", 0) != 0 or any(name for name in node.output[1:]):
        refuse("is in training mode (it uses the batch's statistics); export the model in eval mode (model.eval())")
    if attribute(node, "is_test", 1) == 0:  # opset 1 to 6
        refuse("is in training mode (is_test=0); export the model in eval mode (model.eval())")
    units = layer.bias.size
    values = []
    for position, what in enumerate(("scale", "B", "input_mean", "input_var"), start=1):
        value = constant(position, what)
        if value.size != units:
            refuse(f"its {what} has shape {list(value.shape)}, not [{units}] (one value per unit of the layer before "
                   "it)")
        values.append(value.reshape(-1))
    gamma, beta, mean, var = values
    epsilon = attribute(node, "epsilon", 1e-5)
    if not np.all(var + epsilon > 0):
        refuse(f"its input_var + epsilon ({epsilon}) is not positive for every unit, so it has no square root")
    scale = gamma / np.sqrt(var + epsilon)
    layer.weight = layer.weight * scale[:, np.newaxis]
    layer.bias = (layer.bias - mean) * scale + beta


def onnx_to_ctnn(model, scalar: str | None = None) -> tuple[str, list]:
    """(topology text, the parameters in ctnn's canonical order as float64 numpy arrays) of an ONNX model.

    `model` is an onnx.ModelProto or a file name. Raises InteropError for anything ctnn cannot represent exactly.
    """
    import numpy as np  # noqa: PLC0415

    onnx = _onnx()
    if not isinstance(model, onnx.ModelProto):
        model = load_model(model)
    graph = model.graph
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)
    constants = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}

    inputs = [i for i in graph.input if i.name not in constants]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise InteropError(f"the model has {len(inputs)} input(s) and {len(graph.output)} output(s); ctnn networks "
                           "have one of each")
    tensor_type = inputs[0].type.tensor_type
    dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor_type.shape.dim]
    if scalar is None:
        types = {onnx.TensorProto.FLOAT: "float", onnx.TensorProto.DOUBLE: "double"}
        if tensor_type.elem_type not in types:
            raise InteropError(f"the model's input '{inputs[0].name}' is of ONNX type "
                               f"{onnx.TensorProto.DataType.Name(tensor_type.elem_type)}; pass --dtype float or double")
        scalar = types[tensor_type.elem_type]
    # The width of the current tensor's last axis (None: not known yet) and its rank.
    width = dims[-1] if dims else None
    rank = len(dims) if dims else 2

    current = inputs[0].name
    layers: list[_Layer] = []

    def attribute(node, name, default):
        for a in node.attribute:
            if a.name == name:
                return onnx.helper.get_attribute_value(a)
        return default

    # Exporters spell some activations as several elementary nodes; an unsupported node of such a spelling is named
    # with the activation it belongs to.
    ops = {node.op_type for node in graph.node}
    spelled = "GELU (exported as Div, Erf, Add and Mul)" if "Erf" in ops or "Gelu" in ops else None
    # torch.nn.SiLU exports as y = Mul(x, Sigmoid(x)): a Sigmoid, then a Mul of its input and its output. The input of
    # the last Sigmoid, while the Mul may follow.
    sigmoid_input = None

    for index, node in enumerate(graph.node):
        where = f"node '{node.name or '#' + str(index)}' ({node.op_type})"

        def refuse(reason):
            raise InteropError(f"{where}: {reason}")

        if node.domain not in ("", "ai.onnx"):
            refuse(f"is from the operator set '{node.domain}', not ONNX's; supported: {SUPPORTED}")
        if node.op_type == "Constant":
            value = attribute(node, "value", None)
            if value is None:
                refuse("only Constant nodes with a tensor 'value' are supported")
            constants[node.output[0]] = onnx.numpy_helper.to_array(value)
            continue
        if node.op_type == "Identity" and node.input and node.input[0] in constants:
            # torch.onnx.export shares equal initializers (a fresh BatchNorm1d's weight and running_var) through
            # Identity nodes: the output is that constant.
            constants[node.output[0]] = constants[node.input[0]]
            continue
        if node.op_type == "Mul" and sigmoid_input is not None and sorted(node.input) == sorted([sigmoid_input,
                                                                                                 current]):
            layers[-1].activation, layers[-1].activation_node = "swish(1)", where  # x sigmoid(x): SiLU
            sigmoid_input, current = None, node.output[0]
            continue
        sigmoid_input = current if node.op_type == "Sigmoid" else None
        if node.op_type not in KNOWN:
            part = f" (part of {spelled}, which this tool does not convert)" if spelled else ""
            refuse(f"is not supported{part}: ctnn converts {SUPPORTED}")
        data = [name for name in node.input if name and name not in constants]
        if data != [current]:
            refuse(f"takes {data or 'no tensor'} where ctnn expects the output of the node before it ('{current}') "
                   "alone: ctnn networks are a chain of layers, without branches or skip connections")

        def constant(position, what):
            if len(node.input) <= position or node.input[position] not in constants:
                refuse(f"its {what} must be a constant (an initializer)")
            return np.asarray(constants[node.input[position]], dtype=np.float64)

        def need_layer():
            if not layers:
                refuse("comes before the first Gemm or MatMul: a ctnn network starts with a dense layer")
            if layers[-1].activation is not None:
                refuse(f"follows {layers[-1].activation_node}: each ctnn layer has one activation")
            return layers[-1]

        def new_layer(weight, bias):
            nonlocal width, rank
            if layers and layers[-1].activation == "softmax":
                refuse(f"follows {layers[-1].activation_node}: only the output layer may use Softmax in ctnn")
            if width is not None and weight.shape[1] != width:
                refuse(f"multiplies by a weight for {weight.shape[1]} inputs, but the tensor before it has {width}")
            layers.append(_Layer(weight, bias, where))
            width = weight.shape[0]

        def bias_of(values, units, what):
            if values.size not in (1, units) or (values.ndim and values.shape[-1] not in (1, units)) or \
                    values.ndim > 2 or (values.ndim == 2 and values.shape[0] != 1):
                refuse(f"its {what} has shape {list(values.shape)}; a bias of {units} units must be [{units}], "
                       f"[1, {units}] or one value")
            return np.broadcast_to(values.reshape(-1), (units,)).copy()

        op = node.op_type
        if op == "Gemm":
            if attribute(node, "transA", 0) != 0:
                refuse("transA=1 is not supported (the input must be [N, inputs])")
            for name in ("alpha", "beta"):
                if attribute(node, name, 1.0) != 1.0:
                    refuse(f"{name}={attribute(node, name, 1.0)}: only 1 is supported; fold it into the weights")
            weight = constant(1, "B (the weight)")
            if weight.ndim != 2:
                refuse(f"its weight has shape {list(weight.shape)}, not 2-D")
            weight = weight if attribute(node, "transB", 0) else weight.T
            units = weight.shape[0]
            bias = bias_of(constant(2, "C (the bias)"), units, "C") if len(node.input) > 2 and node.input[2] \
                else np.zeros(units)
            new_layer(weight, bias)
        elif op == "MatMul":
            if node.input[0] != current:
                refuse("multiplies a constant by the data; ctnn needs data x weight ([N, inputs] x [inputs, units])")
            weight = constant(1, "second input (the weight)")
            if weight.ndim != 2:
                refuse(f"its weight has shape {list(weight.shape)}, not 2-D [inputs, units]")
            new_layer(weight.T, np.zeros(weight.shape[1]))
        elif op == "Add":
            layer = need_layer()
            other = next(name for name in node.input if name != current)  # the chain check left one constant
            layer.bias = layer.bias + bias_of(np.asarray(constants[other], dtype=np.float64), layer.bias.size,
                                              "constant")
        elif op == "BatchNormalization":
            _fold_batch_normalization(node, layers, refuse, constant, attribute)
        elif op in ("Identity",):
            pass
        elif op == "Dropout":
            if attribute(node, "is_test", 1) == 0:
                refuse("is in training mode (is_test=0); export the model in eval mode")
            if len(node.input) > 2 and node.input[2]:
                if node.input[2] not in constants:
                    refuse("its training_mode is not a constant; export the model in eval mode")
                if bool(np.asarray(constants[node.input[2]]).reshape(-1)[0]):
                    refuse("is in training mode (training_mode=true); export the model in eval mode")
        elif op in ("Flatten", "Reshape"):
            if layers:
                refuse("reshapes a layer's output; ctnn supports Flatten or Reshape of the model's input only")
            if rank > 2 and (dims is None or any(d is None for d in dims[1:])):
                refuse(f"flattens an input of unknown shape {dims}")
            flat = int(np.prod(dims[1:])) if rank > 2 else width
            if op == "Flatten" and attribute(node, "axis", 1) not in (1, 1 - rank):
                refuse(f"axis={attribute(node, 'axis', 1)}: only axis=1 (one sample per row) is supported")
            if op == "Reshape":
                shape = [int(v) for v in constant(1, "shape").reshape(-1)]
                if len(shape) != 2 or not (shape[1] == flat or (shape[1] == -1 and shape[0] == 0)):
                    refuse(f"reshapes the input to {shape}; only [N, {flat}] (one sample per row) is supported")
            width, rank = flat, 2
        else:  # an activation
            layer = need_layer()
            units = layer.bias.size
            if op in SIMPLE_ACTIVATIONS:
                layer.activation = SIMPLE_ACTIVATIONS[op]
            elif op == "LeakyRelu":
                alpha = to_ratio(attribute(node, "alpha", 0.01), f"{where} alpha", single=True)
                layer.activation = f"leaky_relu({ratio_text(alpha)})"
            elif op == "Elu":
                alpha = to_ratio(attribute(node, "alpha", 1.0), f"{where} alpha", single=True)
                layer.activation = f"elu({ratio_text(alpha)})"
            elif op == "PRelu":
                slopes = constant(1, "slope")
                if slopes.size not in (1, units) or (slopes.size == units and slopes.shape[-1] != units):
                    refuse(f"its slope has shape {list(slopes.shape)}; ctnn's PReLU has one slope per unit "
                           f"([{units}]) or one for all")
                layer.activation, layer.slopes = "prelu(1/4)", np.broadcast_to(slopes.reshape(-1), (units,)).copy()
            else:
                axis = attribute(node, "axis", 1 if opset < 13 else -1)
                if axis not in (-1, rank - 1):
                    refuse(f"axis={axis} on a tensor of rank {rank}: ctnn's Softmax runs over the units (the last "
                           "axis)")
                if units == 1:
                    refuse("over 1 unit always outputs 1; use Sigmoid for one probability")
                layer.activation = "softmax"
            layer.activation_node = where
        current = node.output[0]

    if not layers:
        raise InteropError("the model has no Gemm or MatMul layer")
    if current != graph.output[0].name:
        raise InteropError(f"the model's output '{graph.output[0].name}' is not the end of its chain of layers "
                           f"('{current}')")
    fields = [scalar, str(layers[0].weight.shape[1])]
    values = []
    for layer in layers:
        fields.append(f"{layer.bias.size}:{layer.activation or 'linear'}")
        values += [layer.weight.reshape(-1), layer.bias] + ([layer.slopes] if layer.slopes is not None else [])
    return ";".join(fields), values


def _command(args) -> None:
    check_outputs(args.output, args.header)
    text, values = onnx_to_ctnn(args.model, args.dtype)
    write_outputs(text, values, args.output, args.header, args.namespace, "tools/onnx_import.py",
                  [f"Converted from the ONNX model {Path(args.model).name}."])


def main(argv=None) -> int:
    return import_main(__doc__, "onnx_import.py", "the ONNX model file (.onnx)", "the model input's", _command, argv)


if __name__ == "__main__":
    sys.exit(main())
