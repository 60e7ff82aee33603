#!/usr/bin/env python3
"""Move trained networks between PyTorch and ctnn.

ctnn weights files hold a network's parameters plus its topology text (include/ctnn/io/weights.hpp has the byte
layout, include/ctnn/io/signature.hpp the text). This tool writes them from a torch.nn.Sequential of Linear layers and
activations, and reads them back into one.

  export   a PyTorch model -> a ctnn weights file and/or a C++ header (ctnn::io::export_header's layout)
      pytorch_interop.py export --model my_model.py:build -o net.ctnn [--header net.hpp --namespace net]
      pytorch_interop.py export --state-dict net.pt --topology "float;2;16:tanh;1:sigmoid" -o net.ctnn
    --model FILE.py[:FUNCTION] (or a module name) calls FUNCTION (default: "model") with no arguments; it returns
    the nn.Sequential. --state-dict loads a state_dict saved with torch.save into the Sequential that --topology
    describes (as `import` prints it).

  import   a ctnn weights file -> a torch.nn.Sequential, printed; -o saves its state_dict (torch.save)
      pytorch_interop.py import net.ctnn [-o net.pt]

The same functions are available to Python code: save_ctnn(model, path), load_ctnn(path), header_text(...).

Activations, PyTorch <-> ctnn (each Linear is one ctnn::Dense; the module after it is its activation):
  nn.Sigmoid -> Sigmoid, nn.Tanh -> Tanh, nn.ReLU -> ReLU, nn.Softplus (beta 1) -> Softplus,
  nn.LeakyReLU(s) -> LeakyReLU<s>, nn.ELU(a) -> ELU<a>, nn.SiLU -> Swish<1>, nn.PReLU -> PReLU (slopes learned,
  one per unit), nn.RReLU(l, u) -> RReLU<l, u> (inference uses the mean slope, as PyTorch's eval mode),
  nn.Identity or nothing -> Linear, nn.Softmax(dim=-1) (output layer only) -> Softmax. nn.Dropout is skipped
  (it is the identity at inference). ctnn's ratios are written as fractions with a denominator up to 1000 and must
  be exact. Everything else is refused with a message: ctnn's BinaryStep and Abs and Swish<beta != 1> have no
  PyTorch module.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import math
import struct
import sys
import zlib
from fractions import Fraction
from pathlib import Path

MAGIC = b"CTNN\0WTS"
FORMAT_VERSION = 1
SCALAR_CODES = {"float": 4, "double": 8}
NUMPY_TYPES = {"float": "<f4", "double": "<f8"}

# ctnn activation ids (include/ctnn/io/signature.hpp): id -> (C++ template, number of ratio parameters)
ACTIVATIONS = {
    "sigmoid": ("ctnn::Sigmoid", 0),
    "tanh": ("ctnn::Tanh", 0),
    "relu": ("ctnn::ReLU", 0),
    "softplus": ("ctnn::Softplus", 0),
    "abs": ("ctnn::Abs", 0),
    "binary_step": ("ctnn::BinaryStep", 0),
    "linear": ("ctnn::Linear", 0),
    "softmax": ("ctnn::Softmax", 0),
    "leaky_relu": ("ctnn::LeakyReLU", 1),
    "elu": ("ctnn::ELU", 1),
    "swish": ("ctnn::Swish", 1),
    "prelu": ("ctnn::PReLU", 1),
    "rrelu": ("ctnn::RReLU", 2),
}


class InteropError(Exception):
    """A model or file this tool cannot convert; the message says why."""


# ---------------------------------------------------------------------------------------------------------------------
# Topology text: "float;2;16:tanh;16:leaky_relu(1/10);1:sigmoid"


def ratio_text(value: Fraction) -> str:
    """A ratio as ctnn writes it: "num/den", or "num" when den is 1 (Fraction is reduced, as std::ratio)."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def to_ratio(value: float, what: str) -> Fraction:
    """`value` as an exact fraction with a denominator up to 1000, or an InteropError."""
    ratio = Fraction(value).limit_denominator(1000)
    if float(ratio) != float(value):
        raise InteropError(
            f"{what} is {value!r}, which is no fraction with a denominator up to 1000 (the nearest is "
            f"{ratio_text(ratio)} = {float(ratio)!r}); ctnn's activation parameters are std::ratio values, so use a "
            f"value such as {float(ratio)!r}")
    return ratio


def parse_ratio(text: str) -> Fraction:
    num, _, den = text.partition("/")
    return Fraction(int(num), int(den) if den else 1)


def parse_activation(activation: str) -> tuple[str, list[Fraction]]:
    """Splits "rrelu(1/8,1/3)" into ("rrelu", [1/8, 1/3]); checks the id is ctnn's."""
    name, _, rest = activation.partition("(")
    if name not in ACTIVATIONS:
        raise InteropError(f"unknown activation '{activation}' (ctnn's are {', '.join(ACTIVATIONS)})")
    count = ACTIVATIONS[name][1]
    if count == 0:
        if rest:
            raise InteropError(f"activation '{activation}' takes no parameters")
        return name, []
    if not rest.endswith(")"):
        raise InteropError(f"activation '{activation}' needs {count} ratio parameter(s) in parentheses")
    try:
        ratios = [parse_ratio(part) for part in rest[:-1].split(",")]
    except (ValueError, ZeroDivisionError):
        raise InteropError(f"activation '{activation}': its parameters are not ratios") from None
    if len(ratios) != count:
        raise InteropError(f"activation '{activation}' needs {count} ratio parameter(s)")
    if activation != name + "(" + ",".join(ratio_text(r) for r in ratios) + ")":
        raise InteropError(f"activation '{activation}' is not written as ctnn writes it (reduced ratios, no spaces)")
    return name, ratios


def parse_topology(text: str) -> tuple[str, int, list[tuple[int, str]]]:
    """Reads a topology text into (scalar type, input size, [(units, activation id), ...])."""
    fields = text.split(";")
    if len(fields) < 3 or fields[0] not in SCALAR_CODES:
        raise InteropError(f"'{text}' is not a ctnn topology text such as 'float;2;16:tanh;1:sigmoid'")

    def size(field: str) -> int:
        if not field.isdigit() or field.startswith("0"):
            raise InteropError(f"'{text}': '{field}' is not a positive size")
        return int(field)

    layers = []
    for field in fields[2:]:
        units, colon, activation = field.partition(":")
        if not colon:
            raise InteropError(f"'{text}': layer '{field}' is not '<units>:<activation>'")
        parse_activation(activation)
        layers.append((size(units), activation))
    if any(activation == "softmax" for _, activation in layers[:-1]):
        raise InteropError(f"'{text}': only the output layer may use softmax")
    return fields[0], size(fields[1]), layers


def parameter_count(text: str) -> int:
    _, inputs, layers = parse_topology(text)
    count = 0
    for units, activation in layers:
        count += inputs * units + units + (units if activation.startswith("prelu(") else 0)
        inputs = units
    return count


def cpp_activation(activation: str) -> str:
    name, ratios = parse_activation(activation)
    template = ACTIVATIONS[name][0]
    if not ratios:
        return template
    spelled = [f"std::ratio<{r.numerator}>" if r.denominator == 1 else f"std::ratio<{r.numerator}, {r.denominator}>"
               for r in ratios]
    return f"{template}<{', '.join(spelled)}>"


def cpp_type(text: str) -> str:
    """The C++ type of a topology text, as ctnn::io::cpp_type spells it."""
    scalar, inputs, layers = parse_topology(text)
    parts = [scalar, f"ctnn::Input<{inputs}>"] + [f"ctnn::Dense<{u}, {cpp_activation(a)}>" for u, a in layers]
    return f"ctnn::Network<{', '.join(parts)}>"


# ---------------------------------------------------------------------------------------------------------------------
# PyTorch models <-> topology and parameters


def _torch():
    try:
        import torch  # noqa: PLC0415 (imported late so that --help works without torch)
    except ImportError:
        raise InteropError("PyTorch is not installed (Debian: apt-get install python3-torch)") from None
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
        raise InteropError(f"expected a torch.nn.Sequential, got {type(model).__name__}")
    modules = [m for m in model if not isinstance(m, nn.Dropout)]
    if not modules or not isinstance(modules[0], nn.Linear):
        raise InteropError("the Sequential must start with an nn.Linear")
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


# ---------------------------------------------------------------------------------------------------------------------
# Weights files


def weights_bytes(text: str, scalar: str, values) -> bytes:
    """The bytes of a ctnn weights file (format version 1)."""
    import numpy as np  # noqa: PLC0415

    encoded = text.encode("ascii")
    array = np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in values])
    if array.size != parameter_count(text):
        raise InteropError(f"{array.size} parameters for '{text}', which has {parameter_count(text)}")
    body = (MAGIC + struct.pack("<IB3xI", FORMAT_VERSION, SCALAR_CODES[scalar], len(encoded)) + encoded +
            struct.pack("<Q", array.size) + array.astype(NUMPY_TYPES[scalar]).tobytes())
    return body + struct.pack("<I", zlib.crc32(body))


def read_weights(path) -> tuple[str, str, object]:
    """(topology text, scalar type, parameters as a float64 numpy array) of a ctnn weights file, checked whole."""
    import numpy as np  # noqa: PLC0415

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InteropError(f"{path} does not exist") from None
    except OSError as error:
        raise InteropError(f"cannot read {path}: {error.strerror}") from None
    if not data.startswith(MAGIC[:len(data)]) or (len(data) >= 8 and data[:8] != MAGIC):
        raise InteropError(f"{path} is not a ctnn weights file: it does not start with the magic bytes")
    if len(data) < 20:
        raise InteropError(f"{path} is truncated: it ends after {len(data)} bytes, inside the header")
    version, code, reserved, length = struct.unpack_from("<IB3sI", data, 8)
    if version != FORMAT_VERSION:
        raise InteropError(f"{path} has format version {version}; this tool reads version {FORMAT_VERSION} only")
    if len(data) < 28 + length:
        raise InteropError(f"{path} is truncated: it ends inside the topology text or the parameter count")
    (count,) = struct.unpack_from("<Q", data, 20 + length)
    size = {4: 4, 8: 8}.get(code)
    promised = 28 + length + count * size + 4 if size else None
    if zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, len(data) - 4)[0]:
        if promised is not None and len(data) < promised:
            raise InteropError(f"{path} is truncated: it has {len(data)} of the {promised} bytes its header announces")
        raise InteropError(f"{path} is corrupted: its CRC-32 does not match its content")
    if size is None or reserved != b"\0\0\0":
        raise InteropError(f"{path} has a malformed header")
    text = data[20:20 + length].decode("ascii")
    scalar = "float" if code == 4 else "double"
    if not text.startswith(scalar + ";"):
        raise InteropError(f"{path}: the topology '{text}' does not match the scalar type code {code}")
    if count != parameter_count(text):
        raise InteropError(f"{path} holds {count} parameters, but '{text}' has {parameter_count(text)}")
    if len(data) != promised:
        raise InteropError(f"{path} has {len(data)} bytes, not the {promised} its header announces")
    values = np.frombuffer(data, dtype=NUMPY_TYPES[scalar], count=count, offset=28 + length).astype(np.float64)
    return text, scalar, values


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
# C++ headers (the layout of ctnn::io::export_header)


def cpp_literal(value: float, scalar: str) -> str:
    """An exact C++ literal: a hexadecimal floating literal, or a std::bit_cast for NaN and infinities."""
    if math.isfinite(value):
        return value.hex() + ("f" if scalar == "float" else "")
    if scalar == "float":
        return f"std::bit_cast<float>(std::uint32_t{{{struct.unpack('<I', struct.pack('<f', value))[0]}u}})"
    return f"std::bit_cast<double>(std::uint64_t{{{struct.unpack('<Q', struct.pack('<d', value))[0]}u}})"


def header_text(text: str, values, namespace: str) -> str:
    """A C++ header declaring namespace::Network, ::topology, ::parameters and the constexpr ::network."""
    import numpy as np  # noqa: PLC0415

    parts = namespace.split("::")
    if not all(p.isidentifier() and p.isascii() for p in parts):
        raise InteropError(f"'{namespace}' is not a C++ namespace name")
    scalar = text.split(";")[0]
    flat = np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in values])
    flat = flat.astype(NUMPY_TYPES[scalar]).astype(np.float64)  # the values the file would hold
    lines = [
        "// Generated by tools/pytorch_interop.py: a trained ctnn network as constexpr data. Do not edit.",
        "//",
        f"// Topology: {text}",
        f"// Use: {namespace}::network.forward(x), with x of type {namespace}::Network::input_type.",
    ]
    if 40 * flat.size > 1048576:  # as ctnn::io::export_header: clang's default constexpr step limit
        lines.append(f"// The network is built at compile time: clang needs -fconstexpr-steps={40 * flat.size} or more "
                     "for it.")
    lines += [
        "#pragma once",
        "",
        "#include <ctnn/ctnn.hpp>",
        "",
        "#include <array>",
        "#include <bit>",
        "#include <cstdint>",
        "",
        f"namespace {namespace} {{",
        "",
        "/// The network's type.",
        f"using Network = {cpp_type(text)};",
        "",
        "/// Its topology text, as in ctnn weights files (ctnn::io::signature<Network>()).",
        f'inline constexpr char topology[] = "{text}";',
        "",
        f"/// Its {flat.size} parameters in the canonical order: per layer the weight [out][in], the bias, PReLU slopes.",
        f"inline constexpr std::array<{scalar}, {flat.size}> parameters = {{",
    ]
    line = "   "
    for value in flat:
        item = " " + cpp_literal(float(value), scalar) + ","
        if len(line) + len(item) > 100:
            lines.append(line)
            line = "   "
        line += item
    lines += [line, "};", "", "/// The network, ready to use, in read-only memory.",
              "inline constexpr Network network = Network::from_parameters(parameters);", "",
              f"}}  // namespace {namespace}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------------
# Command line


def _load_model(spec: str):
    location, _, function = spec.partition(":")
    function = function or "model"
    if location.endswith(".py"):
        path = Path(location)
        if not path.is_file():
            raise InteropError(f"{location} does not exist")
        module_spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    else:
        module = importlib.import_module(location)
    if not hasattr(module, function):
        raise InteropError(f"{location} defines no function '{function}' (use --model FILE.py:FUNCTION)")
    return getattr(module, function)()


def _command_export(args) -> None:
    torch = _torch()
    if (args.model is None) == (args.state_dict is None):
        raise InteropError("give either --model FILE.py[:FUNCTION] or --state-dict FILE --topology TEXT")
    if args.state_dict is not None:
        if not args.topology:
            raise InteropError("--state-dict needs --topology (as `import` prints it)")
        model = ctnn_to_model(args.topology)
        model.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
    else:
        model = _load_model(args.model)
    if not args.output and not args.header:
        raise InteropError("nothing to write: give -o WEIGHTS and/or --header HEADER")
    text, values = model_to_ctnn(model, args.dtype)
    if args.output:
        Path(args.output).write_bytes(weights_bytes(text, text.split(";")[0], values))
        print(f"wrote {args.output}: {text}")
    if args.header:
        Path(args.header).write_text(header_text(text, values, args.namespace))
        print(f"wrote {args.header}: namespace {args.namespace}, {cpp_type(text)}")


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
    export.add_argument("--dtype", choices=sorted(SCALAR_CODES), help="scalar type (default: the model's)")
    export.add_argument("-o", "--output", help="the ctnn weights file to write")
    export.add_argument("--header", help="a C++ header to write (ctnn::io::export_header's layout)")
    export.add_argument("--namespace", default="model", help="the header's namespace (default: model)")
    imported = commands.add_parser("import", help="a ctnn weights file -> a PyTorch nn.Sequential")
    imported.add_argument("weights", help="the ctnn weights file")
    imported.add_argument("-o", "--output", help="save the model's state_dict here (torch.save)")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            _command_export(args)
        else:
            _command_import(args)
    except InteropError as error:
        print(f"pytorch_interop.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
