"""ctnn's file formats for the Python tools: topology texts, weights files and C++ headers.

The conversion tools (pytorch_interop.py, onnx_import.py, sklearn_import.py) turn a model into a topology text and its
parameters in ctnn's canonical order, and this module writes them the way ctnn's C++ io/ headers do:
- the topology text ("float;2;16:tanh;1:sigmoid"), as include/ctnn/io/signature.hpp;
- weights files, as include/ctnn/io/weights.hpp, which has the byte layout: format version 1, and for a quantized
  network with the fixed_point requantizer version 2 (include/ctnn/io/quantized_weights.hpp: no weight scales);
  read_weights_file reads every scalar type ctnn writes (float, double, quantized int8, bfloat16, float16) into a
  WeightsFile, and quantized_weights_bytes writes a quantized one back, in either version a fixed-point network reads;
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
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

MAGIC = b"CTNN\0WTS"
FORMAT_VERSION = 1  # every file but a quantized network's with the fixed_point requantizer
FIXED_POINT_FORMAT_VERSION = 2  # a quantized network's with the fixed_point requantizer: no weight scales
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


# Scalar codes of weights files other than float's and double's (byte 12; include/ctnn/io/weights.hpp).
QUANTIZED_CODE = 1  # ctnn::QuantizedNetwork, include/ctnn/io/quantized_weights.hpp
BFLOAT16_CODE = 0x12  # ctnn::BFloat16Network, include/ctnn/io/weights16.hpp
FLOAT16_CODE = 0x02  # ctnn::Float16Network (IEEE 754 binary16), include/ctnn/io/weights16.hpp
# scalar code -> (kind, bytes of one unit of the count field): float and double count parameters, the others bytes.
FILE_KINDS = {4: ("float", 4), 8: ("double", 8), QUANTIZED_CODE: ("quantized", 1), BFLOAT16_CODE: ("bfloat16", 1),
              FLOAT16_CODE: ("float16", 1)}


def _widen_float16(bits):
    """binary16 patterns (uint16) as float32, exactly, as ctnn::float16_to_float and x86's VCVTPH2PS: a NaN keeps its
    sign and payload and becomes quiet (numpy's conversion may keep a signalling NaN signalling)."""
    import numpy as np  # noqa: PLC0415

    widened = bits.astype("<u2").view("<f2").astype("<f4").view("<u4")
    nan = (bits & 0x7C00 == 0x7C00) & (bits & 0x03FF != 0)
    return np.where(nan, widened | 0x00400000, widened).astype("<u4").view("<f4")


# The kinds of files of 16-bit weights (io::Weights16Format): the kind is the topology text's first field, and the
# function widens the weights' patterns (uint16) to float32, exactly. Another 16-bit format adds its code above and
# its entry here.
WEIGHTS16_KINDS = {"bfloat16": lambda bits: (bits.astype("<u4") << 16).view("<f4"), "float16": _widen_float16}
# A quantized network's requantizer id -> bytes of one output unit's multiplier (f32, or i32 multiplier and i32 shift).
REQUANTIZERS = {"float": 4, "fixed_point": 8}
# Activations whose quantized layers carry a 256-entry table.
TABLE_ACTIVATIONS = ("tanh", "sigmoid")


@dataclass
class QuantizedLayer:
    """One layer of a quantized network's file (include/ctnn/io/quantized_weights.hpp), every value as stored."""

    linear_qparams: tuple[float, int]  # (scale, zero point) of the Linear's output (with ReLU: after it)
    output_qparams: tuple[float, int]  # (scale, zero point) of the layer's output
    weight_scales: object  # float32 array (out,); None in a version-2 file (fixed_point), which holds none
    bias: object  # int32 array (out,): at s_in s_w[o], the input's zero point folded in
    multipliers: object  # requantizer "float": float32 (out,); "fixed_point": int32 (out, 2), [multiplier, shift]
    weights: object  # int8 array (out, in)
    table: object  # uint8 array (256,) for tanh and sigmoid layers, else None


@dataclass
class Weights16Layer:
    """One layer of a file of 16-bit weights (include/ctnn/io/weights16.hpp; kind "bfloat16" or "float16"), every
    value as stored."""

    kind: str  # the file's kind, "bfloat16" or "float16": the format of weight_bits
    weight_bits: object  # uint16 array (out, in): each weight's 16-bit pattern
    bias: object  # float32 array (out,)
    slopes: object  # float32 array (out,) for a prelu layer, else None

    @property
    def weight(self):
        """The weights widened to float32, exactly (a bfloat16 is the upper half of a float32's bits; a binary16 NaN
        becomes a quiet float NaN of its sign and payload, as ctnn's float16_to_float)."""
        return WEIGHTS16_KINDS[self.kind](self.weight_bits)


@dataclass
class WeightsFile:
    """A ctnn weights file as read_weights_file() reads it, checked whole.

    kind is "float" or "double" (`parameters`: every parameter in the canonical order, float64, exact), "quantized"
    (`requantizer`, `input_qparams` and `layers` of QuantizedLayer), "bfloat16" or "float16" (`layers` of
    Weights16Layer).
    `text` is the file's topology text, `network_text` the float network's ("float;2;16:tanh;1:sigmoid"), the same
    for float and double files. `version` is the file's format version: 1, or 2 for a quantized network with the
    fixed_point requantizer saved without weight scales.
    """

    path: str
    scalar_code: int
    kind: str
    text: str
    network_text: str
    version: int = FORMAT_VERSION
    parameters: object = None
    requantizer: str | None = None
    input_qparams: tuple[float, int] | None = None
    layers: list = field(default_factory=list)


def _layer_shapes(network_text: str) -> list[tuple[int, int, str]]:
    """(inputs, units, activation id) of each layer of a float network's topology text."""
    _, inputs, layers = parse_topology(network_text)
    shapes = []
    for units, activation in layers:
        shapes.append((inputs, units, activation))
        inputs = units
    return shapes


def _payload_bytes(kind: str, network_text: str, requantizer: str | None, version: int = FORMAT_VERSION) -> int:
    """The count field of a quantized network's file or one of 16-bit weights: the bytes of its parameters (a
    quantized network's in format `version`: 1 holds a weight scale per unit, 2 none)."""
    total = 8 if kind == "quantized" else 0  # the input's qparams
    scale_bytes = 4 if version == 1 else 0
    for inputs, units, activation in _layer_shapes(network_text):
        prelu = activation.startswith("prelu(")
        if kind == "quantized":
            total += 16 + units * (4 + scale_bytes + REQUANTIZERS[requantizer]) + units * inputs
            total += 256 if activation in TABLE_ACTIVATIONS else 0
        else:
            total += 2 * inputs * units + 4 * units + (4 * units if prelu else 0)
    return total


def read_weights_file(path) -> WeightsFile:
    """Reads a ctnn weights file of any scalar type (float, double, quantized int8, bfloat16, float16), checked whole as
    ctnn's io::load checks it: magic, format version (1; or 2, for a quantized network with the fixed_point
    requantizer only), header, CRC-32, length, the topology text against the scalar code and the count against the
    topology. Every failure is an InteropError whose message names the file and says what is wrong (as io::Status's
    messages do). The values are returned as stored: ctnn's loader checks a quantized file's scales, zero points and
    multipliers too, this reader does not."""
    import numpy as np  # noqa: PLC0415

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InteropError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InteropError(f"cannot read {path}: it is a directory") from None
    except OSError as error:
        raise InteropError(f"cannot read {path}: {error.strerror}") from None
    size = len(data)

    def truncated(where: str):
        return InteropError(f"{path} is truncated: it ends after {size} byte{'' if size == 1 else 's'}, {where}")

    if data[:8] != MAGIC[:size]:
        raise InteropError(f'{path} is not a ctnn weights file: it does not start with the magic bytes "CTNN\\0WTS"')
    if size == 0:
        raise InteropError(f"{path} is empty")
    if size < 8:
        raise truncated("inside the magic bytes")
    if size < 12:
        raise truncated("inside the format version")
    (version,) = struct.unpack_from("<I", data, 8)
    if version not in (FORMAT_VERSION, FIXED_POINT_FORMAT_VERSION):
        raise InteropError(f"{path} has format version {version}; this tool reads versions {FORMAT_VERSION} and "
                           f"{FIXED_POINT_FORMAT_VERSION} only")
    if size < 20:
        raise truncated("inside the header")
    code, reserved, length = struct.unpack_from("<B3sI", data, 12)
    header = 20 + length + 8
    if size < header:
        raise truncated("inside the topology text or the parameter count")
    (count,) = struct.unpack_from("<Q", data, 20 + length)
    kind, unit = FILE_KINDS.get(code, (None, 0))
    # The version before the checksum, as ctnn's loader: version 2 holds a fixed-point network only.
    fixed_point_text = data[20:20 + length].startswith(b"quantized(fixed_point);")
    if version == FIXED_POINT_FORMAT_VERSION and not (kind == "quantized" and fixed_point_text):
        what = "this file's network" if kind is None else f"a {kind} network"
        raise InteropError(f"{path} has format version {version}; this tool reads version {FORMAT_VERSION} only for "
                           f"{what} (version {version} holds quantized networks with the fixed_point requantizer)")
    promised = header + count * unit + 4 if unit else None
    if size < 4 or zlib.crc32(data[:-4]) != struct.unpack_from("<I", data, size - 4)[0]:
        if promised is not None and size < promised:
            raise InteropError(f"{path} is truncated: it has {size} of the {promised} bytes its header announces")
        stored, computed = struct.unpack_from("<I", data, size - 4)[0], zlib.crc32(data[:-4])
        raise InteropError(f"{path} is corrupted: its CRC-32 is 0x{stored:08x} but its content's is 0x{computed:08x}")
    if kind is None:
        raise InteropError(f"{path} has a malformed header: scalar type code {code} is none of ctnn's "
                           f"({', '.join(f'{c} {k}' for c, (k, _) in FILE_KINDS.items())})")
    if reserved != b"\0\0\0":
        raise InteropError(f"{path} has a malformed header: its reserved bytes are not zero")
    try:
        text = data[20:20 + length].decode("ascii")
    except UnicodeDecodeError:
        raise InteropError(f"{path}: its topology text is not ASCII") from None

    # The text must be one of the code's kind: "float;...", "double;...", "quantized(<requantizer>);float;...",
    # "bfloat16;float;...", "float16;float;...".
    requantizer = None
    network_text = text
    if kind == "quantized":
        prefix, sep, network_text = text.partition(");")
        requantizer = prefix[len("quantized("):] if prefix.startswith("quantized(") and sep else None
        if requantizer is None:
            raise InteropError(f"{path}: the topology '{text}' does not match the scalar type code {code} (quantized)")
        if requantizer not in REQUANTIZERS:
            raise InteropError(f"{path}: the topology '{text}' names the requantizer '{requantizer}', not one of "
                               f"ctnn's ({', '.join(REQUANTIZERS)})")
    elif kind in WEIGHTS16_KINDS:
        prefix, _, network_text = text.partition(";")
        if prefix != kind:
            raise InteropError(f"{path}: the topology '{text}' does not match the scalar type code {code} ({kind})")
    wanted_scalar = kind if kind in ("float", "double") else "float"
    if not network_text.startswith(wanted_scalar + ";"):
        raise InteropError(f"{path}: the topology '{text}' does not match the scalar type code {code} ({kind})")
    try:
        shapes = _layer_shapes(network_text)
    except InteropError as error:
        raise InteropError(f"{path}: {error}") from None
    if kind in ("float", "double"):
        expected, noun = parameter_count(network_text), "parameters"
    else:
        expected, noun = _payload_bytes(kind, network_text, requantizer, version), "bytes of parameters"
    if count != expected:
        raise InteropError(f"{path} holds {count} {noun}, but '{text}' has {expected}")
    if size != promised:
        raise InteropError(f"{path} has {size} bytes, not the {promised} its header announces")

    result = WeightsFile(str(path), code, kind, text, network_text, version=version)
    at = header

    def take(dtype: str, n: int):
        nonlocal at
        values = np.frombuffer(data, dtype=dtype, count=n, offset=at).copy()
        at += values.nbytes
        return values

    def qparams():
        scale, zero_point = struct.unpack_from("<fi", data, at)
        take("u1", 8)
        return (scale, zero_point)

    if kind in ("float", "double"):
        result.parameters = take(NUMPY_TYPES[kind], count).astype(np.float64)
    elif kind == "quantized":
        result.requantizer = requantizer
        result.input_qparams = qparams()
        for inputs, units, activation in shapes:
            linear, output = qparams(), qparams()
            scales = take("<f4", units) if version == FORMAT_VERSION else None
            bias = take("<i4", units)
            multipliers = take("<f4", units) if requantizer == "float" else take("<i4", 2 * units).reshape(units, 2)
            weights = take("i1", units * inputs).reshape(units, inputs)
            table = take("u1", 256) if activation in TABLE_ACTIVATIONS else None
            result.layers.append(QuantizedLayer(linear, output, scales, bias, multipliers, weights, table))
    else:
        for inputs, units, activation in shapes:
            weight_bits = take("<u2", units * inputs).reshape(units, inputs)
            bias = take("<f4", units)
            slopes = take("<f4", units) if activation.startswith("prelu(") else None
            result.layers.append(Weights16Layer(kind, weight_bits, bias, slopes))
    assert at == size - 4
    return result


def quantized_weights_bytes(weights: WeightsFile, version: int | None = None) -> bytes:
    """The bytes of a quantized network's weights file holding `weights` (a WeightsFile of kind "quantized", as
    read_weights_file returns it), in format `version`: by default the one ctnn saves (1 for the float requantizer, 2
    for fixed_point). Version 1 needs every layer's weight_scales (a fixed-point network reads it, checks them against
    its multipliers and drops them); version 2, for fixed_point only, leaves them out. Written as ctnn's io::save
    writes it: a file read from ctnn's bytes writes back to the same bytes. An InteropError if `weights` cannot be
    written so."""
    import numpy as np  # noqa: PLC0415

    if weights.kind != "quantized":
        raise InteropError(f"'{weights.text}' is a {weights.kind} network, not a quantized one")
    if version is None:
        version = FIXED_POINT_FORMAT_VERSION if weights.requantizer == "fixed_point" else FORMAT_VERSION
    if version not in (FORMAT_VERSION, FIXED_POINT_FORMAT_VERSION):
        raise InteropError(f"format version {version} is none of ctnn's ({FORMAT_VERSION}, "
                           f"{FIXED_POINT_FORMAT_VERSION})")
    if version == FIXED_POINT_FORMAT_VERSION and weights.requantizer != "fixed_point":
        raise InteropError(f"'{weights.text}': format version {version} holds quantized networks with the fixed_point "
                           f"requantizer only; write version {FORMAT_VERSION}")
    shapes = _layer_shapes(weights.network_text)
    if len(weights.layers) != len(shapes):
        raise InteropError(f"'{weights.text}' has {len(shapes)} layers, not {len(weights.layers)}")

    def array(values, dtype: str, shape: tuple, what: str) -> bytes:
        if values is None or np.shape(values) != shape:
            got = "none" if values is None else f"shape {list(np.shape(values))}"
            hint = (" (a version-2 file holds no weight scales: write it as version 2)"
                    if values is None and what.endswith("weight scales") else "")
            raise InteropError(f"'{weights.text}': {what} must have shape {list(shape)}, not {got}{hint}")
        return np.asarray(values).astype(dtype).tobytes()

    payload = [struct.pack("<fi", *weights.input_qparams)]
    for k, ((inputs, units, activation), layer) in enumerate(zip(shapes, weights.layers)):
        where = f"layer {k + 1}'s"
        payload.append(struct.pack("<fifi", *layer.linear_qparams, *layer.output_qparams))
        if version == FORMAT_VERSION:
            payload.append(array(layer.weight_scales, "<f4", (units,), f"{where} weight scales"))
        payload.append(array(layer.bias, "<i4", (units,), f"{where} biases"))
        fixed = weights.requantizer == "fixed_point"
        payload.append(array(layer.multipliers, "<i4" if fixed else "<f4", (units, 2) if fixed else (units,),
                             f"{where} multipliers"))
        payload.append(array(layer.weights, "i1", (units, inputs), f"{where} weights"))
        if activation in TABLE_ACTIVATIONS:
            payload.append(array(layer.table, "u1", (256,), f"{where} table"))
    body = b"".join(payload)
    encoded = weights.text.encode("ascii")
    data = (MAGIC + struct.pack("<IB3xI", version, QUANTIZED_CODE, len(encoded)) + encoded +
            struct.pack("<Q", len(body)) + body)
    return data + struct.pack("<I", zlib.crc32(data))


def read_weights(path) -> tuple[str, str, object]:
    """(topology text, scalar type, parameters as a float64 numpy array) of a float or double network's ctnn weights
    file, checked whole (read_weights_file); a quantized network's file or one of 16-bit weights is an InteropError."""
    weights = read_weights_file(path)
    if weights.kind not in ("float", "double"):
        raise InteropError(f"{path} holds a {weights.kind} network ('{weights.text}'), not a float or double one; "
                           "this needs a float or double network's weights file")
    return weights.text, weights.kind, weights.parameters


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
