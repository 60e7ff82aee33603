"""ctnn's int8 post-training quantization against PyTorch's, quantum for quantum.

For each topology of run_quantized (tests/interop/run_quantized.cpp) this trains a small float network in PyTorch,
writes its weights in ctnn's format (tools/ctnn_io.py), quantizes it in PyTorch (eager mode, engine "qnnpack", a
QuantStub in front; activations MinMaxObserver(quint8), weights PerChannelMinMaxObserver(qint8,
per_channel_symmetric); Linear+ReLU fused) and in ctnn (ctnn::quantize), and compares:

- given PyTorch's observed ranges (min_val, max_val of every observer), every qparam, weight scale, int8 weight,
  int32 bias and requantization multiplier, and every quantum of every probe sample (the int_repr() of the QuantStub's
  output, of every quantized Linear / LinearReLU, of every quantized tanh and sigmoid) must be equal, and so must the
  float outputs (Softmax: to float rounding, ctnn's exp is not PyTorch's);
- with ctnn's own calibration on the same samples: the input's range must be equal and the layers' within float
  rounding of PyTorch's (the float passes sum in another order); the quanta that then differ are counted and must be
  few (a scale one ulp apart moves a rounding tie).

Usage: quantized_test.py --runner <run_quantized> --tools <tools dir with ctnn_io.py>
"""

import argparse
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.ao.quantization import (DeQuantStub, MinMaxObserver, PerChannelMinMaxObserver, QConfig, QuantStub, convert,
                                   fuse_modules, prepare)

ARGS = argparse.Namespace(runner=None, tools=None)
CTNN_IO = None

# name: (inputs, [(units, activation)]), as in run_quantized.cpp
TOPOLOGIES = {
    "relu_softmax": (8, [(16, "relu"), (16, "relu"), (3, "softmax")]),
    "tanh_linear": (8, [(16, "tanh"), (16, "tanh"), (3, "linear")]),
    "relu_sigmoid": (6, [(12, "relu"), (8, "linear"), (1, "sigmoid")]),
    "sigmoid_tanh": (5, [(10, "sigmoid"), (4, "tanh")]),
}
MODULES = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


class Quantizable(nn.Module):
    """nn.Sequential between a QuantStub and a DeQuantStub (eager-mode quantization's shape)."""

    def __init__(self, body):
        super().__init__()
        self.quant, self.body, self.dequant = QuantStub(), body, DeQuantStub()

    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))


def float_model(inputs, layers):
    """The float nn.Sequential of a topology (a Softmax output is left to the loss and the comparison)."""
    modules, width = [], inputs
    for units, activation in layers:
        modules.append(nn.Linear(width, units))
        if activation in MODULES:
            modules.append(MODULES[activation]())
        width = units
    return nn.Sequential(*modules)


def train(model, inputs, layers, seed):
    """A few hundred Adam steps on a random teacher's targets, so the weights are those of a trained network."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(512, inputs, generator=generator) * 1.5
    teacher = torch.randn(inputs, layers[-1][0], generator=generator)
    logits = x @ teacher + 0.3 * torch.sin(3 * x[:, :1])
    output = layers[-1][1]
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        optimizer.zero_grad()
        y = model(x)
        if output == "softmax":
            loss = nn.functional.cross_entropy(y, logits.argmax(1))
        elif output == "sigmoid":
            loss = nn.functional.binary_cross_entropy(y, (logits > 0).float())
        elif output == "tanh":
            loss = nn.functional.mse_loss(y, torch.tanh(logits))
        else:
            loss = nn.functional.mse_loss(y, logits)
        loss.backward()
        optimizer.step()
    return model.eval()


def quantize_in_torch(model, layers, calibration):
    """(quantized model, observed ranges [(min, max)] of the input then of each Linear) by PyTorch's eager mode."""
    quantizable = Quantizable(float_model(model[0].in_features, layers))
    quantizable.body.load_state_dict(model.state_dict())
    quantizable.eval()
    pairs, index = [], 0
    for _, activation in layers:
        if activation == "relu":
            pairs.append([str(index), str(index + 1)])
        index += 2 if activation in MODULES else 1
    if pairs:
        fuse_modules(quantizable.body, pairs, inplace=True)
    quantizable.qconfig = QConfig(
        activation=MinMaxObserver.with_args(dtype=torch.quint8),
        weight=PerChannelMinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_channel_symmetric))
    prepare(quantizable, inplace=True)
    with torch.no_grad():
        quantizable(calibration)
    observers = [quantizable.quant.activation_post_process] + [
        m.activation_post_process for m in quantizable.body if hasattr(m, "activation_post_process")]
    ranges = [(float(o.min_val), float(o.max_val)) for o in observers]
    convert(quantizable, inplace=True)
    return quantizable, ranges


def torch_quanta(quantized, x):
    """Per probe: the quanta in forward_quanta's order, and the float output."""
    outputs = {}
    hooks = [m.register_forward_hook(lambda module, i, o, name=name: outputs.__setitem__(name, o))
             for name, m in quantized.named_modules() if name.startswith("body.") or name == "quant"]
    with torch.no_grad():
        y = quantized(x)
    for hook in hooks:
        hook.remove()
    modules = list(quantized.body.named_children())
    parts = [outputs["quant"].int_repr()]
    k = 0
    while k < len(modules):
        linear = outputs["body." + modules[k][0]].int_repr()
        out = linear
        if k + 1 < len(modules) and isinstance(modules[k + 1][1], (nn.Tanh, nn.Sigmoid)):
            out = outputs["body." + modules[k + 1][0]].int_repr()
            k += 1
        elif k + 1 < len(modules) and isinstance(modules[k + 1][1], nn.Identity):  # the fused ReLU's place
            k += 1
        parts += [linear, out]
        k += 1
    return torch.cat(parts, dim=1).numpy().astype(np.int64), y.numpy()


def linears(quantized):
    return [m for m in quantized.body if hasattr(m, "weight") and callable(m.weight)]


def write_lines(path, rows):
    path.write_text("\n".join(" ".join(float(v).hex() for v in row) for row in rows) + "\n")


def run_ctnn(topology, weights, calibration, probes, ranges=None):
    """run_quantized's report: {key: list of lines}, each line a list of numbers."""
    args = [ARGS.runner, topology, "quantize", weights, calibration] + ([ranges] if ranges else [])
    stdin = "\n".join(" ".join(float(v).hex() for v in row) for row in probes) + "\n"
    result = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"run_quantized failed ({result.returncode}): {result.stderr}")
    report = {}
    for line in result.stdout.splitlines():
        key, *fields = line.split()
        values = [float.fromhex(v) if "x" in v else int(v) for v in fields if v not in ("linear", "output")]
        report.setdefault(key, []).append(values)
    return report


def f32(v):
    return np.float32(v)


class QuantizedAgreement(unittest.TestCase):

    def check_topology(self, topology, seed, sign=None):
        """Agreement on one trained network; `sign` +1 or -1: calibration inputs of that sign only (input zero point
        0 or 255)."""
        inputs, layers = TOPOLOGIES[topology]
        torch.manual_seed(seed)
        model = train(float_model(inputs, layers), inputs, layers, seed)
        generator = torch.Generator().manual_seed(seed + 1)
        calibration = torch.randn(256, inputs, generator=generator) * 1.5
        if sign is not None:
            calibration = sign * calibration.abs()
        # Probes: fresh samples, the calibration's, and samples far outside its range (the clamps).
        probes = torch.cat([torch.randn(128, inputs, generator=generator) * 1.5, calibration[:64],
                            torch.randn(64, inputs, generator=generator) * 8]).float()
        quantized, ranges = quantize_in_torch(model, layers, calibration)
        expected_quanta, expected_y = torch_quanta(quantized, probes)

        with tempfile.TemporaryDirectory(prefix="ctnn_quantized_") as directory:
            directory = Path(directory)
            text = subprocess.run([str(ARGS.runner), topology, "signature"], capture_output=True, text=True,
                                  check=True).stdout.strip()
            values = []
            for m in model:
                if isinstance(m, nn.Linear):
                    values += [m.weight.detach().numpy(), m.bias.detach().numpy()]
            (directory / "net.weights").write_bytes(CTNN_IO.weights_bytes(text, "float", values))
            write_lines(directory / "calibration.txt", calibration.numpy())
            write_lines(directory / "ranges.txt", ranges)
            given = run_ctnn(topology, directory / "net.weights", directory / "calibration.txt", probes.numpy(),
                             directory / "ranges.txt")
            own = run_ctnn(topology, directory / "net.weights", directory / "calibration.txt", probes.numpy())

        # PyTorch's ranges given: every parameter and every quantum equal.
        self.assertEqual([tuple(r[1:]) for r in given["range"]], ranges)
        self.assertEqual(given["input"][0], [quantized.quant.scale.item(), quantized.quant.zero_point.item()])
        if sign is not None:
            self.assertEqual(given["input"][0][1], 0 if sign > 0 else 255)
        input_scale = float(quantized.quant.scale)
        for i, q in enumerate(linears(quantized)):
            with self.subTest(layer=i):
                layer = given["layer"][i]
                self.assertEqual(layer[1], q.scale)  # "linear" scale, as float32 widened: exact
                self.assertEqual(layer[2], q.zero_point)
                weight = q.weight()
                scales = weight.q_per_channel_scales().numpy()
                self.assertEqual(given["weight_scales"][i][1:], [float(s) for s in scales])
                self.assertEqual(given["weights"][i][1:], weight.int_repr().numpy().reshape(-1).tolist())
                bias = torch.quantize_per_channel(q.bias().detach(), weight.q_per_channel_scales() * input_scale,
                                                  torch.zeros(len(scales), dtype=torch.long), 0, torch.qint32)
                self.assertEqual(given["bias"][i][1:], bias.int_repr().numpy().tolist())
                multipliers = [float((f32(s) * f32(input_scale)) * (f32(1) / f32(q.scale))) for s in scales]
                self.assertEqual(given["multipliers"][i][1:], multipliers)
                input_scale = layer[3]
        quanta = np.array([row[1:] for row in given["quanta"]], dtype=np.int64)
        self.assertEqual(quanta.shape, expected_quanta.shape)
        mismatches = np.argwhere(quanta != expected_quanta)
        self.assertEqual(len(mismatches), 0, f"{len(mismatches)} quanta differ, first at (probe, quantum) "
                         f"{mismatches[:5].tolist()}")
        # Both sides reach the clamps, and the weights reach -128.
        self.assertTrue((quanta == 0).any() and (quanta == 255).any())
        outputs = np.array([row[1:] for row in given["output"]], dtype=np.float32)
        if layers[-1][1] == "softmax":
            np.testing.assert_allclose(outputs, torch.softmax(torch.from_numpy(expected_y), 1).numpy(), rtol=2e-6,
                                       atol=1e-7)
        else:
            np.testing.assert_array_equal(outputs, expected_y)
        classes = [row[1] for row in given["class"]]
        last = expected_quanta[:, -layers[-1][0]:]
        expected_classes = ((expected_y[:, 0] >= 0.5).astype(int) if layers[-1][0] == 1 else last.argmax(1))
        self.assertEqual(classes, expected_classes.tolist())

        # ctnn's own calibration: the same input range, the layers' within float rounding.
        own_ranges = [tuple(r[1:]) for r in own["range"]]
        self.assertEqual(own_ranges[0], ranges[0])
        # (Measured: equal, or 1 to 2 ulps apart, at most 1.3e-7 relative.)
        np.testing.assert_allclose(np.array(own_ranges), np.array(ranges), rtol=1e-6, atol=1e-7)
        own_quanta = np.array([row[1:] for row in own["quanta"]], dtype=np.int64)
        differing = int((own_quanta != expected_quanta).sum())
        print(f"{topology} seed {seed}: {quanta.size} quanta equal to PyTorch's; with ctnn's own calibration "
              f"{differing} differ (at most by {int(np.abs(own_quanta - expected_quanta).max())})", file=sys.stderr)
        self.assertLessEqual(differing, quanta.size // 100)
        return np.array(given["weights"][0][1:])

    def test_every_topology_agrees_quantum_for_quantum(self):
        minus_128 = 0
        for topology in TOPOLOGIES:
            for seed in (1, 2):
                with self.subTest(topology=topology, seed=seed):
                    minus_128 += int((self.check_topology(topology, seed) == -128).sum())
        self.assertGreater(minus_128, 0)

    def test_one_signed_calibration_gives_zero_points_0_and_255(self):
        for sign in (1, -1):
            with self.subTest(sign=sign):
                self.check_topology("relu_softmax", 3, sign)
                self.check_topology("tanh_linear", 3, sign)


def main():
    global CTNN_IO
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", required=True, type=Path, help="run_quantized, built")
    parser.add_argument("--tools", required=True, type=Path, help="the folder of ctnn_io.py")
    args, rest = parser.parse_known_args()
    ARGS.runner, ARGS.tools = args.runner, args.tools
    sys.path.insert(0, str(args.tools))
    import ctnn_io  # noqa: PLC0415
    CTNN_IO = ctnn_io
    torch.backends.quantized.engine = "qnnpack"
    unittest.main(argv=[sys.argv[0]] + rest)


if __name__ == "__main__":
    main()
