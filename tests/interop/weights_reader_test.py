"""tools/ctnn_io.py's read_weights_file against the files ctnn writes: every scalar type (float, double, quantized int8
with both requantizers, the fixed-point one in format versions 2 and 1, bfloat16, float16), every field compared with
what the C++ side wrote (the 16-bit weights widened too, NaN, infinity and subnormal patterns among them), and every
refusal compared with ctnn's own loader; and its quantized_weights_bytes, whose files are ctnn's, byte for byte, and
load into ctnn's networks.

    weights_reader_test.py --writer <write_weights_files> --tools <tools directory>

write_weights_files (tests/interop/write_weights_files.cpp) writes <name>.ctnn with ctnn::io::save and <name>.fields,
the values the C++ network holds (floats as their bits), and with `check` loads a file with ctnn::io::load and prints
the Status kind. Needs numpy.
"""

import argparse
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
from pathlib import Path

import numpy as np

ARGS = argparse.Namespace(writer=None, tools=None)
IO = None  # tools/ctnn_io.py, loaded by main()
NAMES = ("float", "double", "quantized_float", "quantized_fixed_point", "quantized_fixed_point_v1", "bfloat16",
         "bfloat16_specials", "float16", "float16_specials")
# The scalar codes of the files of 16-bit weights (include/ctnn/io/signature.hpp, io::Weights16Format).
WEIGHTS16_CODES = {"bfloat16": 0x12, "float16": 0x02}


def read_fields(path: Path) -> dict:
    """A .fields file: {"code": [..], "text": "...", ("layer", i, name): [ints], name: [ints]}."""
    fields = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(" ")
        if name == "text":
            fields["text"] = rest
        elif name == "layer":
            index, field, *values = rest.split()
            fields[("layer", int(index), field)] = [int(v) for v in values]
        else:
            fields[name] = [int(v) for v in rest.split()]
    return fields


def f32_bits(values) -> list:
    return np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.int64).reshape(-1).tolist()


def scale_bits(scale: float) -> int:
    return struct.unpack("<I", struct.pack("<f", scale))[0]


def reseal(data: bytes) -> bytes:
    body = data[:-4]
    return body + struct.pack("<I", zlib.crc32(body))


class Files(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.temporary = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.temporary.name)
        subprocess.run([ARGS.writer, cls.dir], check=True, capture_output=True)

    @classmethod
    def tearDownClass(cls):
        cls.temporary.cleanup()

    def cpp_kind(self, name: str, path: Path) -> str:
        """ctnn::io::load's Status kind for the file, loaded into the network `name` was written from."""
        out = subprocess.run([ARGS.writer, self.dir, "check", name, path], check=True, capture_output=True, text=True)
        return out.stdout.split()[0]

    # -----------------------------------------------------------------------------------------------------------------
    # Every field as the C++ side wrote it

    def test_every_field_is_what_cpp_wrote(self):
        for name in NAMES:
            with self.subTest(name=name):
                weights = IO.read_weights_file(self.dir / f"{name}.ctnn")
                fields = read_fields(self.dir / f"{name}.fields")
                self.assertEqual(weights.scalar_code, fields["code"][0])
                self.assertEqual(weights.version, fields["version"][0])
                self.assertEqual(weights.text, fields["text"])
                if weights.kind in ("float", "double"):
                    self.check_plain(weights, fields)
                elif weights.kind == "quantized":
                    self.check_quantized(weights, fields)
                else:
                    self.check_weights16(weights, fields)

    def check_plain(self, weights, fields):
        self.assertEqual(weights.network_text, weights.text)
        self.assertEqual(weights.parameters.dtype, np.float64)
        stored = weights.parameters.astype(np.float32 if weights.kind == "float" else np.float64)
        bits = stored.view(np.uint32 if weights.kind == "float" else np.uint64).tolist()
        self.assertEqual(bits, fields["parameters"])
        self.assertEqual(len(bits), IO.parameter_count(weights.text))
        text, scalar, values = IO.read_weights(weights.path)  # the float reader the tools use: the same values
        self.assertEqual((text, scalar), (weights.text, weights.kind))
        np.testing.assert_array_equal(values, weights.parameters)

    def check_quantized(self, weights, fields):
        self.assertEqual(weights.kind, "quantized")
        self.assertEqual(weights.requantizer, weights.text[len("quantized("):weights.text.index(")")])
        self.assertEqual(weights.network_text, weights.text.split(";", 1)[1])
        self.assertEqual([scale_bits(weights.input_qparams[0]), weights.input_qparams[1]], fields["input_qparams"])
        self.assertEqual(len(weights.layers), 3)
        for i, layer in enumerate(weights.layers):
            get = lambda field: fields[("layer", i, field)]  # noqa: E731
            self.assertEqual([scale_bits(layer.linear_qparams[0]), layer.linear_qparams[1]], get("linear_qparams"))
            self.assertEqual([scale_bits(layer.output_qparams[0]), layer.output_qparams[1]], get("output_qparams"))
            if ("layer", i, "weight_scales") in fields:
                self.assertEqual(weights.version, 1)
                self.assertEqual(f32_bits(layer.weight_scales), get("weight_scales"))
            else:
                self.assertEqual(weights.version, 2)
                self.assertIsNone(layer.weight_scales)
            self.assertEqual(layer.bias.dtype, np.int32)
            self.assertEqual(layer.bias.tolist(), get("bias"))
            if weights.requantizer == "float":
                self.assertEqual(f32_bits(layer.multipliers), get("multipliers"))
            else:
                self.assertEqual(layer.multipliers.shape, (len(layer.bias), 2))
                self.assertEqual(layer.multipliers.reshape(-1).tolist(), get("multipliers"))
            self.assertEqual(layer.weights.dtype, np.int8)
            self.assertEqual(layer.weights.shape[0], len(layer.bias))
            self.assertEqual(layer.weights.reshape(-1).tolist(), get("weights"))
            if ("layer", i, "table") in fields:
                self.assertEqual(layer.table.tolist(), get("table"))
            else:
                self.assertIsNone(layer.table)

    def check_weights16(self, weights, fields):
        self.assertIn(weights.kind, WEIGHTS16_CODES)
        self.assertEqual(weights.kind, weights.text.split(";", 1)[0])
        self.assertEqual(weights.scalar_code, WEIGHTS16_CODES[weights.kind])
        self.assertEqual(weights.network_text, weights.text[len(weights.kind) + 1:])
        shapes = [(units, inputs) for inputs, units, _ in IO._layer_shapes(weights.network_text)]
        self.assertEqual(len(weights.layers), len(shapes))
        for i, layer in enumerate(weights.layers):
            get = lambda field: fields[("layer", i, field)]  # noqa: E731
            self.assertEqual(layer.weight_bits.dtype, np.uint16)
            self.assertEqual(layer.weight_bits.shape, shapes[i])
            self.assertEqual(layer.weight_bits.reshape(-1).tolist(), get("weight_bits"))
            # Widened: what the C++ network's to_float() holds, bit for bit (a NaN quiet, of its sign and payload).
            self.assertEqual(layer.weight.dtype, np.float32)
            self.assertEqual(f32_bits(layer.weight), get("weight_float_bits"))
            self.assertEqual(f32_bits(layer.bias), get("bias_bits"))
            if ("layer", i, "slope_bits") in fields:
                self.assertEqual(f32_bits(layer.slopes), get("slope_bits"))
            else:
                self.assertIsNone(layer.slopes)

    # -----------------------------------------------------------------------------------------------------------------
    # quantized_weights_bytes: ctnn's bytes, in either version

    def test_quantized_files_write_back_to_ctnns_bytes(self):
        """Each quantized file read writes back to its own bytes; the fixed-point network's version-1 file (with the
        scales of its FloatRequantizer twin) writes to ctnn's version-2 file of the same network by default, and each
        written file loads into ctnn's network."""
        v2 = (self.dir / "quantized_fixed_point.ctnn").read_bytes()
        v1 = (self.dir / "quantized_fixed_point_v1.ctnn").read_bytes()
        self.assertEqual(struct.unpack_from("<I", v2, 8)[0], 2)
        self.assertEqual(struct.unpack_from("<I", v1, 8)[0], 1)
        self.assertEqual(len(v1), len(v2) + 4 * (6 + 5 + 3))
        for name, version, expected in (("quantized_float", None, "quantized_float"),
                                        ("quantized_float", 1, "quantized_float"),
                                        ("quantized_fixed_point", None, "quantized_fixed_point"),
                                        ("quantized_fixed_point", 2, "quantized_fixed_point"),
                                        ("quantized_fixed_point_v1", None, "quantized_fixed_point"),
                                        ("quantized_fixed_point_v1", 1, "quantized_fixed_point_v1")):
            with self.subTest(name=name, version=version):
                data = IO.quantized_weights_bytes(IO.read_weights_file(self.dir / f"{name}.ctnn"), version)
                self.assertEqual(data, (self.dir / f"{expected}.ctnn").read_bytes())
                path = self.dir / f"written-{name}-{version}.ctnn"
                path.write_bytes(data)
                self.assertEqual(self.cpp_kind(name, path), "ok")

    def test_quantized_writes_that_cannot_be(self):
        fixed = IO.read_weights_file(self.dir / "quantized_fixed_point.ctnn")
        with self.assertRaisesRegex(IO.InteropError, "layer 1's weight scales must have shape \\[6\\], not none "
                                    "\\(a version-2 file holds no weight scales: write it as version 2\\)"):
            IO.quantized_weights_bytes(fixed, 1)
        with self.assertRaisesRegex(IO.InteropError, "format version 2 holds quantized networks with the fixed_point "
                                    "requantizer only; write version 1"):
            IO.quantized_weights_bytes(IO.read_weights_file(self.dir / "quantized_float.ctnn"), 2)
        with self.assertRaisesRegex(IO.InteropError, "format version 3 is none of ctnn's"):
            IO.quantized_weights_bytes(fixed, 3)
        with self.assertRaisesRegex(IO.InteropError, "is a float network, not a quantized one"):
            IO.quantized_weights_bytes(IO.read_weights_file(self.dir / "float.ctnn"))
        fixed.layers[1].bias = fixed.layers[1].bias[:-1]
        with self.assertRaisesRegex(IO.InteropError, "layer 2's biases must have shape \\[5\\], not shape \\[4\\]"):
            IO.quantized_weights_bytes(fixed)

    # -----------------------------------------------------------------------------------------------------------------
    # Refusals, as ctnn's loader refuses

    def refused(self, name: str, data: bytes, words: str, cpp_kind: str):
        """`data` is refused with a message holding `words` and naming the file, and so does ctnn::io::load."""
        path = self.dir / f"edited-{name}.ctnn"
        path.write_bytes(data)
        with self.assertRaises(IO.InteropError) as caught:
            IO.read_weights_file(path)
        message = str(caught.exception)
        self.assertIn(str(path), message)
        self.assertIn(words, message)
        self.assertEqual(self.cpp_kind(name, path), cpp_kind, message)

    def test_every_truncation_and_flipped_byte_is_refused(self):
        for name in ("quantized_fixed_point", "quantized_fixed_point_v1", "bfloat16", "float16"):
            data = (self.dir / f"{name}.ctnn").read_bytes()
            for n in range(len(data)):
                with self.subTest(name=name, length=n):
                    path = self.dir / "cut.ctnn"
                    path.write_bytes(data[:n])
                    with self.assertRaises(IO.InteropError) as caught:
                        IO.read_weights_file(path)
                    if n >= 8:
                        self.assertRegex(str(caught.exception), "is truncated|is corrupted|is empty")
            for k in range(len(data)):
                flipped = bytearray(data)
                flipped[k] ^= 0x10
                path = self.dir / "flipped.ctnn"
                path.write_bytes(bytes(flipped))
                with self.subTest(name=name, byte=k), self.assertRaises(IO.InteropError):
                    IO.read_weights_file(path)

    def test_refusals_agree_with_ctnn(self):
        for name in ("float", "quantized_float", "bfloat16", "float16"):
            data = (self.dir / f"{name}.ctnn").read_bytes()
            length = struct.unpack_from("<I", data, 16)[0]
            with self.subTest(name=name):
                self.refused(name, b"CTNX" + data[4:], "is not a ctnn weights file", "not_a_weights_file")
                self.refused(name, reseal(data[:8] + struct.pack("<I", 2) + data[12:]), "has format version 2",
                             "unsupported_version")
                self.refused(name, data[:-9], "is truncated: it has", "truncated")
                self.refused(name, data[:-5] + bytes([data[-5] ^ 1]) + data[-4:], "is corrupted: its CRC-32 is 0x",
                             "checksum_mismatch")
                self.refused(name, reseal(data[:12] + b"\x22" + data[13:]), "scalar type code 34 is none of ctnn's",
                             "not_a_weights_file")
                self.refused(name, reseal(data[:13] + b"\x01" + data[14:]), "its reserved bytes are not zero",
                             "not_a_weights_file")
                count = struct.unpack_from("<Q", data, 20 + length)[0]
                self.refused(name, reseal(data[:20 + length] + struct.pack("<Q", count + 1) + data[28 + length:]),
                             f"holds {count + 1} ", "parameter_count_mismatch")
                self.refused(name, reseal(data + bytes(6)), "bytes, not the", "not_a_weights_file")
        # Versions: 2 for the float requantizer's file, refused whatever its content (here the version-1 layout); 3 for
        # the fixed-point network's; its version-2 file marked 1, whose count is then 4 bytes a unit short.
        data = (self.dir / "quantized_float.ctnn").read_bytes()
        self.refused("quantized_float", reseal(data[:8] + struct.pack("<I", 2) + data[12:]),
                     "this tool reads version 1 only for a quantized network (version 2 holds quantized networks "
                     "with the fixed_point requantizer)", "unsupported_version")
        for name in ("quantized_fixed_point", "quantized_fixed_point_v1"):
            data = (self.dir / f"{name}.ctnn").read_bytes()
            self.refused(name, reseal(data[:8] + struct.pack("<I", 3) + data[12:]),
                         "has format version 3; this tool reads versions 1 and 2 only", "unsupported_version")
        data = (self.dir / "quantized_fixed_point.ctnn").read_bytes()
        length = struct.unpack_from("<I", data, 16)[0]
        count, text = struct.unpack_from("<Q", data, 20 + length)[0], data[20:20 + length].decode()
        self.refused("quantized_fixed_point", reseal(data[:8] + struct.pack("<I", 1) + data[12:]),
                     f"holds {count} bytes of parameters, but '{text}' has {count + 4 * (6 + 5 + 3)}",
                     "parameter_count_mismatch")
        # The scalar code of another kind than the text's: quantized text, bfloat16 code; the two 16-bit formats' codes
        # swapped.
        data = (self.dir / "quantized_float.ctnn").read_bytes()
        self.refused("quantized_float", reseal(data[:12] + bytes([0x12]) + data[13:]),
                     "does not match the scalar type code 18 (bfloat16)", "scalar_type_mismatch")
        data = (self.dir / "bfloat16.ctnn").read_bytes()
        self.refused("bfloat16", reseal(data[:12] + bytes([0x02]) + data[13:]),
                     "does not match the scalar type code 2 (float16)", "scalar_type_mismatch")
        data = (self.dir / "float16.ctnn").read_bytes()
        self.refused("float16", reseal(data[:12] + bytes([0x12]) + data[13:]),
                     "does not match the scalar type code 18 (bfloat16)", "scalar_type_mismatch")

    def test_each_16_bit_format_is_refused_by_the_other_network(self):
        """A file of one 16-bit format reads as what it is, and ctnn's loader refuses it for the same float network of
        the other format (scalar_type_mismatch), as for the float network."""
        for name, other in (("bfloat16", "float16"), ("float16", "bfloat16")):
            with self.subTest(name=name):
                path = self.dir / f"{name}.ctnn"
                self.assertEqual(IO.read_weights_file(path).kind, name)
                self.assertEqual(self.cpp_kind(name, path), "ok")
                self.assertEqual(self.cpp_kind(other, path), "scalar_type_mismatch")
                self.assertEqual(self.cpp_kind("float", path), "scalar_type_mismatch")

    def test_missing_files_and_the_float_reader(self):
        with self.assertRaisesRegex(IO.InteropError, "does not exist"):
            IO.read_weights_file(self.dir / "missing.ctnn")
        with self.assertRaisesRegex(IO.InteropError, "it is a directory"):
            IO.read_weights_file(self.dir)
        for name in ("quantized_fixed_point", "bfloat16", "float16"):
            with self.assertRaisesRegex(IO.InteropError, "not a float or double one"):
                IO.read_weights(self.dir / f"{name}.ctnn")


def main():
    global IO
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer", required=True)
    parser.add_argument("--tools", required=True)
    args, rest = parser.parse_known_args()
    ARGS.writer, ARGS.tools = args.writer, args.tools
    sys.path.insert(0, args.tools)
    import ctnn_io  # noqa: PLC0415

    IO = ctnn_io
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
