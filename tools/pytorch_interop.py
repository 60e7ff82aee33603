#!/usr/bin/python3
"""Move trained networks between PyTorch and ctnn.

ctnn weights files hold a network's parameters plus its topology text (include/ctnn/io/weights.hpp has the byte
layout, include/ctnn/io/signature.hpp the text). This tool writes them from a torch.nn.Sequential of Linear layers and
activations, and reads them back into one.

  export   a PyTorch model -> a ctnn weights file and/or a C++ header (ctnn::io::export_header's layout)
      pytorch_interop.py export --model my_model.py:build -o net.ctnn [--header net.hpp --namespace net]
      pytorch_interop.py export --state-dict net.pt --topology "float;2;16:tanh;1:sigmoid" -o net.ctnn
    --model FILE.py[:FUNCTION] (or a module name) calls FUNCTION (default: "model") with no arguments; it returns
    the nn.Sequential. --state-dict reads a state_dict saved with torch.save(model.state_dict(), FILE) of any model
    whose Linear layers run one after the other: an nn.Sequential (with Dropout or other modules without parameters
    between the layers, or named with an OrderedDict) or an nn.Module with fc1, fc2, ... attributes. Its tensors are
    taken in their order, as the layers of --topology (as `import` prints it): per layer a 2-D weight [out, in], a
    1-D bias (optional: nn.Linear(bias=False)), and a 1-D PReLU weight (one slope, or one per unit) when the layer's
    activation is prelu; each shape is checked against the topology. The file is read with
    torch.load(weights_only=True), which runs no code from it (a whole module saved with torch.save(model) is refused).

  import   a ctnn weights file -> a torch.nn.Sequential, printed; -o saves its state_dict (torch.save)
      pytorch_interop.py import net.ctnn [-o net.pt]

The same functions are available to Python code: save_ctnn(model, path), load_ctnn(path), header_text(...).

Activations, PyTorch <-> ctnn (each Linear is one ctnn::Dense; the module after it is its activation):
  nn.Sigmoid -> Sigmoid, nn.Tanh -> Tanh, nn.ReLU -> ReLU, nn.Softplus (beta 1) -> Softplus,
  nn.LeakyReLU(s) -> LeakyReLU::with<s>, nn.ELU(a) -> ELU::with<a>, nn.SiLU -> Swish, nn.PReLU -> PReLU (slopes
  learned, one per unit), nn.RReLU(l, u) -> RReLU::with<l, u> (inference uses the mean slope, as PyTorch's eval mode),
  nn.Identity or nothing -> Linear, nn.Softmax(dim=-1) (output layer only) -> Softmax. nn.Dropout is skipped
  (it is the identity at inference). ctnn's ratios are written as fractions with a denominator up to 1000 and must
  be exact. Everything else is refused with a message: ctnn's BinaryStep and Abs and Swish::with<beta != 1> have no
  PyTorch module.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # ctnn_io.py, beside this file

__all__ = ["ACTIVATIONS", "InteropError", "activation_id", "cpp_type", "ctnn_to_model", "header_text", "load_ctnn",
           "load_state_dict", "main", "model_to_ctnn", "read_weights", "run_command", "save_ctnn",
           "state_dict_to_ctnn", "weights_bytes"]

from ctnn_io import (  # noqa: E402  (some re-exported: Python code uses them from this module)
    ACTIVATIONS, InteropError, add_output_arguments, check_outputs, cpp_activation, cpp_type, header_text,
    missing_module, parameter_count, parse_activation, parse_topology, ratio_text, read_weights, run_command, to_ratio, weights_bytes,
    write_outputs)


# ---------------------------------------------------------------------------------------------------------------------
# PyTorch models <-> topology and parameters


def _torch():
    try:
        import torch  # noqa: PLC0415 (imported late so that --help works without torch)
    except ImportError:
        raise InteropError(missing_module("torch")) from None
    return torch


def activation_id(module, units: int, is_last: bool) -> str:
    """The ctnn activation id of a PyTorch activation module, or an InteropError."""
    nn = _torch().nn
    kind = type(module).__name__
    if isinstance(module, nn.Identity):
        return "linear"
    if isinstance(module, nn.Sigmoid):
        return "sigmoid"
    if isinstance(module, nn.Tanh):
        return "tanh"
    if isinstance(module, nn.ReLU):
        return "relu"
    if isinstance(module, nn.Softplus):
        if module.beta != 1:
            raise InteropError(f"nn.Softplus(beta={module.beta}): ctnn's Softplus has beta 1")
        if module.threshold < 20:
            raise InteropError(f"nn.Softplus(threshold={module.threshold}): ctnn's Softplus never switches to the "
                               "identity; use a threshold of 20 (the default) or more")
        return "softplus"
    if isinstance(module, nn.LeakyReLU):
        return f"leaky_relu({ratio_text(to_ratio(module.negative_slope, 'nn.LeakyReLU negative_slope'))})"
    if isinstance(module, nn.ELU):
        return f"elu({ratio_text(to_ratio(module.alpha, 'nn.ELU alpha'))})"
    if isinstance(module, nn.SiLU):
        return "swish(1)"
    if isinstance(module, nn.PReLU):
        if module.num_parameters not in (1, units):
            raise InteropError(f"nn.PReLU(num_parameters={module.num_parameters}) after a Linear of {units} units: "
                               f"use num_parameters={units} (or 1)")
        # PyTorch >= 1.12 keeps `init`; the initial slope is part of ctnn's type, not of the trained network.
        return f"prelu({ratio_text(to_ratio(getattr(module, 'init', 0.25), 'nn.PReLU init'))})"
    if isinstance(module, nn.RReLU):
        lower = ratio_text(to_ratio(module.lower, "nn.RReLU lower"))
        upper = ratio_text(to_ratio(module.upper, "nn.RReLU upper"))
        return f"rrelu({lower},{upper})"
    if isinstance(module, nn.Softmax):
        if module.dim not in (-1, 1):
            raise InteropError(f"nn.Softmax(dim={module.dim}): ctnn's Softmax runs over the units; use dim=-1")
        if not is_last:
            raise InteropError("nn.Softmax: only the output layer may use Softmax in ctnn")
        if units == 1:
            raise InteropError("nn.Softmax after a Linear of 1 unit always outputs 1; use nn.Sigmoid for one "
                               "probability (ctnn::Sigmoid with ctnn::BinaryCrossEntropy)")
        return "softmax"
    raise InteropError(f"nn.{kind} is not supported: ctnn networks are Linear layers, each followed by one of "
                       "Sigmoid, Tanh, ReLU, Softplus, LeakyReLU, ELU, SiLU, PReLU, RReLU, Identity or (last) Softmax")


def model_to_ctnn(model, scalar: str | None = None) -> tuple[str, list]:
    """(topology text, the parameters in ctnn's canonical order as flat float64 numpy arrays) of an nn.Sequential."""
    torch = _torch()
    nn = torch.nn
    if not isinstance(model, nn.Sequential):
        raise InteropError(f"expected a torch.nn.Sequential, got {type(model).__name__} (for any other module, save "
                           "its state_dict and use --state-dict with --topology)")
    modules = [m for m in model if not isinstance(m, nn.Dropout)]
    if not modules or not isinstance(modules[0], nn.Linear):
        first = type(modules[0]).__name__ if modules else "nothing"
        raise InteropError(f"the Sequential must start with an nn.Linear, not {first} (ctnn has fully connected "
                           "layers only)")
    if scalar is None:
        dtype = modules[0].weight.dtype
        if dtype not in (torch.float32, torch.float64):
            raise InteropError(f"the model's parameters are {dtype}; pass --dtype float or --dtype double")
        scalar = "float" if dtype == torch.float32 else "double"
    inputs = modules[0].in_features
    fields = [scalar, str(inputs)]
    parameters = []
    width = inputs
    k = 0
    while k < len(modules):
        linear = modules[k]
        if not isinstance(linear, nn.Linear):
            raise InteropError(f"module {k} (nn.{type(linear).__name__}) follows another activation; each Linear "
                               "takes at most one activation")
        if linear.in_features != width:
            raise InteropError(f"nn.Linear({linear.in_features}, {linear.out_features}) follows a layer of {width}")
        units = linear.out_features
        activation, slopes = "linear", None
        if k + 1 < len(modules) and not isinstance(modules[k + 1], nn.Linear):
            module = modules[k + 1]
            activation = activation_id(module, units, is_last=(k + 2 == len(modules)))
            if isinstance(module, nn.PReLU):
                slopes = module.weight.detach().to(torch.float64).reshape(-1).expand(units).numpy()
            k += 2
        else:
            k += 1
        weight = linear.weight.detach().to(torch.float64).reshape(-1).numpy()
        bias = (linear.bias.detach().to(torch.float64).numpy() if linear.bias is not None
                else torch.zeros(units, dtype=torch.float64).numpy())
        parameters += [weight, bias] + ([slopes] if slopes is not None else [])
        fields.append(f"{units}:{activation}")
        width = units
    return ";".join(fields), parameters


def ctnn_to_model(text: str, values=None):
    """An nn.Sequential for a topology text (in eval mode), with `values` (canonical order) as its parameters."""
    torch = _torch()
    nn = torch.nn
    scalar, inputs, layers = parse_topology(text)
    dtype = torch.float32 if scalar == "float" else torch.float64
    modules = []
    width = inputs
    for units, activation in layers:
        modules.append(nn.Linear(width, units, dtype=dtype))
        name, ratios = parse_activation(activation)
        if name == "linear":
            pass
        elif name == "sigmoid":
            modules.append(nn.Sigmoid())
        elif name == "tanh":
            modules.append(nn.Tanh())
        elif name == "relu":
            modules.append(nn.ReLU())
        elif name == "softplus":
            modules.append(nn.Softplus())
        elif name == "leaky_relu":
            modules.append(nn.LeakyReLU(float(ratios[0])))
        elif name == "elu":
            modules.append(nn.ELU(float(ratios[0])))
        elif name == "swish" and ratios[0] == 1:
            modules.append(nn.SiLU())
        elif name == "prelu":
            modules.append(nn.PReLU(units, init=float(ratios[0]), dtype=dtype))
        elif name == "rrelu":
            modules.append(nn.RReLU(float(ratios[0]), float(ratios[1])))
        elif name == "softmax":
            modules.append(nn.Softmax(dim=-1))
        elif name == "binary_step":
            raise InteropError(f"'{text}': ctnn::BinaryStep (a Heaviside step) has no PyTorch module")
        else:
            raise InteropError(f"'{text}': {cpp_activation(activation)} has no PyTorch module")
        width = units
    model = nn.Sequential(*modules).eval()
    if values is not None:
        if len(values) != parameter_count(text):
            raise InteropError(f"{len(values)} parameters for '{text}', which has {parameter_count(text)}")
        flat = torch.as_tensor(values, dtype=torch.float64)
        at = 0
        with torch.no_grad():
            for parameter in model.parameters():  # state_dict order: weight, bias, then PReLU's weight
                n = parameter.numel()
                parameter.copy_(flat[at:at + n].reshape(parameter.shape).to(dtype))
                at += n
    return model


def save_ctnn(model, path, scalar: str | None = None) -> str:
    """Writes `model` (an nn.Sequential) as a ctnn weights file; returns its topology text."""
    text, values = model_to_ctnn(model, scalar)
    Path(path).write_bytes(weights_bytes(text, text.split(";")[0], values))
    return text


def load_ctnn(path):
    """The nn.Sequential (eval mode) stored in a ctnn weights file."""
    text, _, values = read_weights(path)
    return ctnn_to_model(text, values)


# ---------------------------------------------------------------------------------------------------------------------
# Command line


def _load_model(spec: str):
    location, _, function = spec.partition(":")
    function = function or "model"
    if location.endswith(".py"):
        path = Path(location)
        if not path.is_file():
            raise InteropError(f"{location} does not exist")
    try:
        if location.endswith(".py"):
            module_spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(location)
    except Exception as error:  # noqa: BLE001 (the user's code: its fault, told in one line)
        raise InteropError(f"{location} failed to load: {type(error).__name__}: {' '.join(str(error).split())}") \
            from None
    if not hasattr(module, function):
        raise InteropError(f"{location} defines no function '{function}' (use --model FILE.py:FUNCTION)")
    try:
        return getattr(module, function)()
    except Exception as error:  # noqa: BLE001
        raise InteropError(f"{location}:{function}() failed: {type(error).__name__}: {' '.join(str(error).split())}") \
            from None


def _shape(tensor) -> str:
    return "[" + ", ".join(str(d) for d in tensor.shape) + "]"


def load_state_dict(path):
    """The state_dict in a torch.save file, as an ordered {name: tensor}.

    torch.load(weights_only=True) unpickles tensors and plain containers only, so a file from elsewhere runs no code.
    """
    torch = _torch()
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise InteropError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InteropError(f"{path} is a directory, not a torch.save file") from None
    except Exception as error:  # noqa: BLE001 (pickle, zip and torch errors alike: the file is not readable)
        detail = " ".join(str(error).split())
        if "WeightsUnpickler error: Unsupported class" in detail:  # a class other than tensors and containers
            raise InteropError(f"{path} holds more than tensors (a whole module saved with torch.save(model)?): this "
                               "tool reads state_dicts only, without running code from the file; save "
                               "model.state_dict()") from None
        detail = detail.partition("WeightsUnpickler error: ")[2] or detail  # not the advice to load it unsafely
        raise InteropError(f"{path} is not a state_dict saved with torch.save ({type(error).__name__}: {detail})") \
            from None
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise InteropError(f"{path} holds a {type(loaded).__name__}, not a state_dict ({{name: tensor}})")
    for name, tensor in loaded.items():
        if not isinstance(tensor, torch.Tensor):
            raise InteropError(f"{path}: '{name}' is a {type(tensor).__name__}, not a tensor")
    return loaded


def state_dict_to_ctnn(state_dict, topology: str, mapping: list | None = None) -> list:
    """The parameters (canonical order, float64 numpy arrays) of `state_dict` as the network `topology` describes.

    A state_dict lists a model's parameters in the order its constructor made the modules, which for the models this
    is meant for is the order the Linear layers run in. So the tensors are sorted by kind, each kind kept in order:
    a Linear weight is a 2-D tensor [units, inputs] named *weight; its bias, the 1-D tensor named *bias right after
    it (missing for nn.Linear(bias=False): zeros); a PReLU weight, any other 1-D tensor named *weight, of 1 or `units`
    elements. The k-th Linear is the topology's k-th layer and the k-th PReLU weight belongs to its k-th prelu layer.
    Raises InteropError naming the tensor and the layer on any mismatch, for tensors of no such kind and for tensors
    missing or left over. `mapping`, when given, receives a line per layer naming the tensors it took.
    """
    torch = _torch()
    _, width, layers = parse_topology(topology)
    linears, prelus = [], []  # [[(name, weight), (name, bias) or None]], [(name, slopes)]
    previous = None
    for name, tensor in state_dict.items():
        after_weight, previous = previous is not None and linears and previous == linears[-1][0][0], name
        if not tensor.is_floating_point():
            raise InteropError(f"state_dict tensor '{name}' {_shape(tensor)} is of type {tensor.dtype}: no parameter "
                               "of a Linear or PReLU layer (a layer ctnn has not, such as BatchNorm?)")
        if tensor.dim() == 2 and name.endswith("weight"):
            linears.append([(name, tensor), None])
        elif tensor.dim() == 1 and name.endswith("bias") and after_weight:
            linears[-1][1] = (name, tensor)
        elif tensor.dim() == 1 and name.endswith("weight"):
            prelus.append((name, tensor))
        else:
            layer = name.rpartition(".")[0] or name
            raise InteropError(f"state_dict tensor '{name}' {_shape(tensor)} belongs to neither an nn.Linear nor an "
                               f"nn.PReLU: layer '{layer}' has no ctnn equivalent (only Linear and PReLU layers "
                               "convert; BatchNorm, Conv and the like do not)")
    prelu_layers = sum(parse_activation(activation)[0] == "prelu" for _, activation in layers)
    if len(linears) != len(layers):
        raise InteropError(f"the state_dict holds {len(linears)} Linear layer(s) "
                           f"({', '.join(repr(w[0]) + ' ' + _shape(w[1]) for w, _ in linears)}), the topology "
                           f"{len(layers)}")
    if len(prelus) != prelu_layers:
        raise InteropError(f"the state_dict holds {len(prelus)} PReLU weight(s), the topology {prelu_layers} prelu "
                           "layer(s)")

    def checked(name, tensor, shapes, what):
        if tuple(tensor.shape) not in shapes:
            needed = " or ".join("[" + ", ".join(map(str, shape)) + "]" for shape in shapes)
            raise InteropError(f"state_dict tensor '{name}' has shape {_shape(tensor)}, but {what} needs {needed} "
                               "(the topology does not match the model, or the model's Linear layers were declared "
                               "in another order than they run: a state_dict lists them in declaration order)")
        return tensor.detach().to(torch.float64).reshape(-1).numpy()

    values = []
    slopes = iter(prelus)
    for number, ((units, activation), (weight, bias)) in enumerate(zip(layers, linears), start=1):
        layer = f"layer {number} of the topology ({units}:{activation}, after {width} inputs)"
        values.append(checked(*weight, [(units, width)], f"the weight of {layer}"))
        values.append(checked(*bias, [(units,)], f"the bias of {layer}") if bias
                      else torch.zeros(units, dtype=torch.float64).numpy())
        taken = [f"{weight[0]} {_shape(weight[1])}", f"{bias[0]} {_shape(bias[1])}" if bias else "no bias (zeros)"]
        if parse_activation(activation)[0] == "prelu":
            slope_name, slope_tensor = next(slopes)
            slope = checked(slope_name, slope_tensor, [(units,), (1,)], f"the PReLU weight of {layer}")
            values.append(slope.repeat(units) if slope.size == 1 else slope)
            taken.append(f"{slope_name} {_shape(slope_tensor)}")
        if mapping is not None:
            mapping.append(f"layer {number} ({units}:{activation}): " + ", ".join(taken))
        width = units
    return values


def _command_export(args) -> None:
    if (args.model is None) == (args.state_dict is None):
        raise InteropError("give either --model FILE.py[:FUNCTION] or --state-dict FILE --topology TEXT")
    check_outputs(args.output, args.header)
    if args.state_dict is not None:
        if not args.topology:
            raise InteropError("--state-dict needs --topology (as `import` prints it)")
        scalar, _, _ = parse_topology(args.topology)
        mapping = []
        values = state_dict_to_ctnn(load_state_dict(args.state_dict), args.topology, mapping)
        text = (args.dtype or scalar) + args.topology[len(scalar):]
        # The state_dict's order is the order the model declared its layers: shown, so that a model that declares
        # them in another order than they run (same shapes, wrong network) is seen.
        print("Linear layers in the state_dict's order (the order the model declared them; they must run in it):")
        for line in mapping:
            print("  " + line)
    else:
        text, values = model_to_ctnn(_load_model(args.model), args.dtype)
    write_outputs(text, values, args.output, args.header, args.namespace, "tools/pytorch_interop.py")


def _command_import(args) -> None:
    torch = _torch()
    text, scalar, values = read_weights(args.weights)
    model = ctnn_to_model(text, values)
    print(f"topology: {text}")
    print(f"C++ type: {cpp_type(text)}")
    print(f"parameters: {values.size} ({scalar})")
    print(model)
    if args.output:
        torch.save(model.state_dict(), args.output)
        print(f"wrote {args.output} (a state_dict; rebuild with: export --state-dict {args.output} "
              f"--topology '{text}')")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="a PyTorch nn.Sequential -> a ctnn weights file and/or C++ header")
    export.add_argument("--model", help="FILE.py[:FUNCTION] or MODULE[:FUNCTION] returning the nn.Sequential")
    export.add_argument("--state-dict", help="a state_dict saved with torch.save (with --topology)")
    export.add_argument("--topology", help="the ctnn topology text of --state-dict")
    add_output_arguments(export, "the model's, or --topology's")
    imported = commands.add_parser("import", help="a ctnn weights file -> a PyTorch nn.Sequential")
    imported.add_argument("weights", help="the ctnn weights file")
    imported.add_argument("-o", "--output", help="save the model's state_dict here (torch.save)")
    args = parser.parse_args(argv)
    return run_command(f"pytorch_interop.py {args.command}",
                       _command_export if args.command == "export" else _command_import, args)


if __name__ == "__main__":
    sys.exit(main())
