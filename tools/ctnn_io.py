"""ctnn's file formats for the Python tools: topology texts, weights files and C++ headers.

The conversion tools (pytorch_interop.py, onnx_import.py, sklearn_import.py) turn a model into a topology text and its
parameters in ctnn's canonical order, and this module writes them the way ctnn's C++ io/ headers do:
- the topology text ("float;2;16:tanh;1:sigmoid"), as include/ctnn/io/signature.hpp;
- weights files (format version 1), as include/ctnn/io/weights.hpp, which has the byte layout;
- the C++ header of ctnn::io::export_header (include/ctnn/io/export.hpp): the network's type alias, its parameters
  and the constexpr network.
It also runs a tool's command so that every failure is one line on stderr and a non-zero exit status (run_command).
It needs numpy (for the parameters), nothing else.
"""

from __future__ import annotations

import math
import os
import struct
import sys
import zlib
from fractions import Fraction
from pathlib import Path

MAGIC = b"CTNN\0WTS"
FORMAT_VERSION = 1
SCALAR_CODES = {"float": 4, "double": 8}
NUMPY_TYPES = {"float": "<f4", "double": "<f8"}

# ctnn activation ids (include/ctnn/io/signature.hpp): id -> (C++ name, number of ratio parameters)
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
# The id of each parametric activation's default type (PyTorch's defaults), which C++ spells without ::with<...>.
DEFAULT_IDS = {
    "leaky_relu": "leaky_relu(1/100)",
    "elu": "elu(1)",
    "swish": "swish(1)",
    "prelu": "prelu(1/4)",
    "rrelu": "rrelu(1/8,1/3)",
}


class InteropError(Exception):
    """A model or file a tool cannot convert; the message (one line) says why."""


# ---------------------------------------------------------------------------------------------------------------------
# Topology text: "float;2;16:tanh;16:leaky_relu(1/10);1:sigmoid"


def ratio_text(value: Fraction) -> str:
    """A ratio as ctnn writes it: "num/den", or "num" when den is 1 (Fraction is reduced, as std::ratio)."""
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def to_ratio(value: float, what: str, single: bool = False) -> Fraction:
    """`value` as an exact fraction with a denominator up to 1000, or an InteropError.

    With `single`, `value` is a float32 (as ONNX attributes are) and the fraction must round to it in float32: 0.1 as a
    float32 is 1/10, which ctnn computes as float(1/10), the same number.
    """
    ratio = Fraction(value).limit_denominator(1000)
    exact = (struct.pack("<f", float(ratio)) == struct.pack("<f", value) if single else float(ratio) == float(value))
    if not exact:
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
        example = {"prelu": "prelu(1/4)", "leaky_relu": "leaky_relu(1/100)", "rrelu": "rrelu(1/8,1/3)"}.get(
            name, f"{name}(1)")
        why = " (for prelu only the initial slope: an import takes the slopes from the model)" if name == "prelu" else ""
        raise InteropError(f"activation '{activation}' needs {count} ratio parameter(s) in parentheses, e.g. "
                           f"'{example}'{why}")
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
    """The C++ type of an activation id, as ctnn::io::activation_cpp_name spells it: `ctnn::LeakyReLU` for the
    default parameters (DEFAULT_IDS), `ctnn::LeakyReLU::with<std::ratio<1, 10>>` for others."""
    name, ratios = parse_activation(activation)
    cpp_name = ACTIVATIONS[name][0]
    if not ratios or activation == DEFAULT_IDS[name]:
        return cpp_name
    spelled = [f"std::ratio<{r.numerator}>" if r.denominator == 1 else f"std::ratio<{r.numerator}, {r.denominator}>"
               for r in ratios]
    return f"{cpp_name}::with<{', '.join(spelled)}>"


def cpp_type(text: str) -> str:
    """The C++ type of a topology text, as ctnn::io::cpp_type spells it."""
    scalar, inputs, layers = parse_topology(text)
    parts = [scalar, f"ctnn::Input<{inputs}>"] + [f"ctnn::Dense<{u}, {cpp_activation(a)}>" for u, a in layers]
    return f"ctnn::Network<{', '.join(parts)}>"


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


# ---------------------------------------------------------------------------------------------------------------------
# C++ headers (the layout of ctnn::io::export_header)


def cpp_literal(value: float, scalar: str) -> str:
    """An exact C++ literal: a hexadecimal floating literal, or a std::bit_cast for NaN and infinities."""
    if math.isfinite(value):
        return value.hex() + ("f" if scalar == "float" else "")
    if scalar == "float":
        return f"std::bit_cast<float>(std::uint32_t{{{struct.unpack('<I', struct.pack('<f', value))[0]}u}})"
    return f"std::bit_cast<double>(std::uint64_t{{{struct.unpack('<Q', struct.pack('<d', value))[0]}u}})"


def constexpr_steps(count: int) -> int:
    """The -fconstexpr-steps clang needs to build a network of `count` parameters at compile time.

    The rule of ctnn::io::export_header_text (include/ctnn/io/export.hpp): clang evaluates from_parameters in about
    1.1 steps per parameter; twice that plus 10,000, to be safe.
    """
    return 2 * count + 10000


CLANG_DEFAULT_CONSTEXPR_STEPS = 1048576


def header_text(text: str, values, namespace: str, generator: str = "tools/pytorch_interop.py",
                notes=()) -> str:
    """A C++ header declaring namespace::Network, ::topology, ::parameters and the constexpr ::network.

    The layout of ctnn::io::export_header, but hexadecimal floating literals (exact too). `notes` are lines added to
    the header's first comment (what the outputs mean, say).
    """
    import numpy as np  # noqa: PLC0415

    parts = namespace.split("::")
    if not all(p.isidentifier() and p.isascii() for p in parts):
        raise InteropError(f"'{namespace}' is not a C++ namespace name")
    scalar = text.split(";")[0]
    flat = np.concatenate([np.asarray(v, dtype=np.float64).reshape(-1) for v in values])
    flat = flat.astype(NUMPY_TYPES[scalar]).astype(np.float64)  # the values the file would hold
    lines = [
        f"// Generated by {generator}: a trained ctnn network as constexpr data. Do not edit.",
        "//",
        f"// Topology: {text}",
        f"// Use: {namespace}::network.forward(x), with x of type {namespace}::Network::input_type.",
    ]
    lines += [f"// {note}" for note in notes]
    if (steps := constexpr_steps(flat.size)) > CLANG_DEFAULT_CONSTEXPR_STEPS:
        lines.append(f"// The network is built at compile time: clang needs -fconstexpr-steps={steps} or more for it.")
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
# Command lines


def add_output_arguments(parser, dtype_default: str) -> None:
    """The options every tool's conversion takes: --dtype, -o, --header, --namespace."""
    parser.add_argument("--dtype", choices=sorted(SCALAR_CODES), help=f"scalar type (default: {dtype_default})")
    parser.add_argument("-o", "--output", help="the ctnn weights file to write")
    parser.add_argument("--header", help="a C++ header to write (ctnn::io::export_header's layout)")
    parser.add_argument("--namespace", default="model", help="the header's namespace (default: model)")


def check_outputs(output, header) -> None:
    """Raises InteropError unless there is something to write (before a tool spends time reading a model)."""
    if not output and not header:
        raise InteropError("nothing to write: give -o WEIGHTS and/or --header HEADER")


def write_outputs(text: str, values, output, header, namespace: str, generator: str, notes=()) -> None:
    """Writes the weights file `output` and/or the C++ header `header` (either may be None) and says so on stdout."""
    check_outputs(output, header)
    header_content = header_text(text, values, namespace, generator, notes) if header else None
    try:
        if output:
            Path(output).write_bytes(weights_bytes(text, text.split(";")[0], values))
            print(f"wrote {output}: {text}")
        if header:
            Path(header).write_text(header_content)
            print(f"wrote {header}: namespace {namespace}, {cpp_type(text)}")
    except OSError as error:
        raise InteropError(f"cannot write {error.filename}: {error.strerror}") from None


def import_main(doc: str, tool: str, model_help: str, dtype_default: str, command, argv=None) -> int:
    """The command line of an import tool: `tool MODEL [--dtype D] [-o WEIGHTS] [--header H --namespace N]`.

    Parses argv (default: sys.argv[1:]) and returns run_command(tool, command, args); `doc` is the tool's docstring.
    """
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=doc)
    parser.add_argument("model", help=model_help)
    add_output_arguments(parser, dtype_default)
    return run_command(tool, command, parser.parse_args(argv))


# The Debian package of each Python module the tools import.
DEBIAN_PACKAGES = {"torch": "python3-torch", "onnx": "python3-onnx", "sklearn": "python3-sklearn",
                   "numpy": "python3-numpy", "joblib": "python3-joblib", "scipy": "python3-scipy"}


def missing_module(name: str | None) -> str:
    """The message for a module this Python cannot import: which module, which Python, and what to do."""
    root = (name or "?").split(".")[0]
    package = DEBIAN_PACKAGES.get(root, f"python3-{root}")
    return (f"the Python module '{root}' is not installed for {sys.executable} (Debian: apt-get install {package}, "
            "then run the tool with /usr/bin/python3, Debian's Python, or with a Python that has the module)")


def run_command(tool: str, command, args) -> int:
    """Runs command(args); its failures become one line on stderr and exit status 1, never a traceback.

    InteropError is the tool's own word on a model it cannot convert. Any other exception is a fault of the tool (or of
    a library under it): it is reported in one line with a request to report it; CTNN_TOOL_TRACEBACK=1 shows the
    traceback instead.
    """
    try:
        command(args)
    except InteropError as error:
        print(f"{tool}: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        print(f"{tool}: {missing_module(error.name)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 (the point: no traceback for the user)
        if os.environ.get("CTNN_TOOL_TRACEBACK"):
            raise
        detail = " ".join(str(error).split())
        print(f"{tool}: unexpected error: {type(error).__name__}: {detail} (a fault of the tool: please report it "
              "with the command line; CTNN_TOOL_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return 1
    return 0
