#!/usr/bin/env python3
"""PyTorch <-> ctnn interop test (registered by tests/interop/CMakeLists.txt when PyTorch is importable).

  interop_test.py --runner RUN_NETWORK --tool tools/pytorch_interop.py [--compile CXX FLAGS...]

RUN_NETWORK is tests/interop/run_network.cpp built; it has three topologies compiled in. For each:
- PyTorch -> ctnn: a PyTorch model built here from nn modules, with random weights, is exported by the tool; the C++
  program loads the file and its outputs must agree with PyTorch's (rtol 1e-5 for float, 1e-12 for double);
- ctnn -> PyTorch: the C++ program saves a random network; the tool reads it into PyTorch, whose outputs must agree,
  and writing it back gives the same bytes.
Also: the command line (export from a model file and from a state_dict, import), refusals (unsupported modules,
inexact ratios, a Heaviside step, a file of another topology), and, with --compile, the tool's C++ header compiled
against ctnn and compared with PyTorch.
"""

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch
from torch import nn

ARGS = None
interop = None  # tools/pytorch_interop.py, loaded in main()

TOLERANCE = {"float": dict(rtol=1e-5, atol=1e-6), "double": dict(rtol=1e-12, atol=1e-13)}


def pytorch_model(topology: str, dtype) -> nn.Sequential:
    """The PyTorch twin of each topology in run_network.cpp, written with nn modules (not with the tool)."""
    if topology == "tanh_relu_softmax":
        model = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4),
                              nn.Softmax(dim=-1))
    elif topology == "prelu_leaky_elu_sigmoid":
        model = nn.Sequential(nn.Linear(4, 7), nn.PReLU(7), nn.Linear(7, 5), nn.LeakyReLU(0.1), nn.Linear(5, 6),
                              nn.ELU(alpha=0.5), nn.Linear(6, 2), nn.Sigmoid())
    elif topology == "softplus_silu_rrelu_linear":
        model = nn.Sequential(nn.Linear(2, 5), nn.Softplus(), nn.Linear(5, 5), nn.SiLU(), nn.Linear(5, 4), nn.RReLU(),
                              nn.Linear(4, 3))
    else:
        raise ValueError(topology)
    model = model.to(dtype).eval()
    with torch.no_grad():
        for module in model:
            if isinstance(module, nn.PReLU):
                module.weight.uniform_(0.05, 0.5)  # trained-looking slopes, one per unit
            if isinstance(module, nn.Linear):  # larger than PyTorch's default, so outputs vary with the inputs
                module.weight.normal_(0.0, 1.5 / module.in_features ** 0.5)
                module.bias.normal_(0.0, 0.5)
    return model


TOPOLOGIES = {
    "tanh_relu_softmax": torch.float32,
    "prelu_leaky_elu_sigmoid": torch.float32,
    "softplus_silu_rrelu_linear": torch.float64,
}


def run(*args, stdin=None, check=True):
    result = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result


def ctnn_forward(topology: str, weights: Path, x: np.ndarray) -> np.ndarray:
    """Outputs of the C++ program for inputs x (one sample per row)."""
    stdin = "\n".join(" ".join(repr(float(v)) for v in row) for row in x) + "\n"
    out = run(ARGS.runner, topology, "forward", weights, stdin=stdin).stdout
    return np.array([[float(v) for v in line.split()] for line in out.strip().splitlines()])


def inputs(topology: str, dtype, count=64, seed=0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    width = {"tanh_relu_softmax": 3, "prelu_leaky_elu_sigmoid": 4, "softplus_silu_rrelu_linear": 2}[topology]
    return (torch.randn(count, width, generator=generator, dtype=torch.float64) * 2).to(dtype)


class Interop(unittest.TestCase):
    def setUp(self):
        self._directory = tempfile.TemporaryDirectory(prefix="ctnn_interop_")
        self.dir = Path(self._directory.name)

    def tearDown(self):
        self._directory.cleanup()

    def assert_agree(self, actual, expected, scalar):
        np.testing.assert_allclose(actual, expected, **TOLERANCE[scalar])

    def test_pytorch_to_ctnn(self):
        for seed, (topology, dtype) in enumerate(TOPOLOGIES.items()):
            with self.subTest(topology=topology):
                torch.manual_seed(100 + seed)
                model = pytorch_model(topology, dtype)
                path = self.dir / f"{topology}.ctnn"
                text = interop.save_ctnn(model, path)
                self.assertEqual(text, run(ARGS.runner, topology, "signature").stdout.strip())
                x = inputs(topology, dtype, seed=seed)
                with torch.no_grad():
                    expected = model(x).to(torch.float64).numpy()
                self.assert_agree(ctnn_forward(topology, path, x.numpy()), expected, text.split(";")[0])
                # The comparison notices a single wrong parameter: one weight of the output layer, off by 0.05.
                with torch.no_grad():
                    [layer for layer in model if isinstance(layer, nn.Linear)][-1].weight[0, 1] += 0.05
                interop.save_ctnn(model, path)
                with self.assertRaises(AssertionError):
                    self.assert_agree(ctnn_forward(topology, path, x.numpy()), expected, text.split(";")[0])

    def test_ctnn_to_pytorch(self):
        for seed, (topology, dtype) in enumerate(TOPOLOGIES.items()):
            with self.subTest(topology=topology):
                path = self.dir / f"{topology}.ctnn"
                run(ARGS.runner, topology, "random", path, 7 + seed)
                model = interop.load_ctnn(path)
                self.assertFalse(model.training)
                x = inputs(topology, dtype, seed=10 + seed)
                with torch.no_grad():
                    actual = model(x).to(torch.float64).numpy()
                scalar = "float" if dtype == torch.float32 else "double"
                self.assert_agree(actual, ctnn_forward(topology, path, x.numpy()), scalar)
                # Written back, the model gives the C++ program's bytes exactly.
                again = self.dir / "again.ctnn"
                interop.save_ctnn(model, again)
                self.assertEqual(again.read_bytes(), path.read_bytes())

    def test_a_file_of_another_topology_is_refused_by_the_cpp_program(self):
        path = self.dir / "softmax.ctnn"
        interop.save_ctnn(pytorch_model("tanh_relu_softmax", torch.float32), path)
        result = run(ARGS.runner, "prelu_leaky_elu_sigmoid", "forward", path, stdin="", check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("topology_mismatch", result.stderr)
        self.assertIn("was saved for ctnn::Network<float, Input<3>, Dense<8, Tanh>", result.stderr)
        double = self.dir / "double.ctnn"
        interop.save_ctnn(pytorch_model("tanh_relu_softmax", torch.float32), double, scalar="double")
        result = run(ARGS.runner, "tanh_relu_softmax", "forward", double, stdin="", check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("scalar_type_mismatch", result.stderr)

    def test_damaged_files_are_refused_by_the_tool(self):
        path = self.dir / "net.ctnn"
        run(ARGS.runner, "tanh_relu_softmax", "random", path, 3)
        data = path.read_bytes()
        for name, damaged, message in [
            ("truncated", data[:-9], "truncated"),
            ("flipped", data[:50] + bytes([data[50] ^ 1]) + data[51:], "corrupted"),
            ("magic", b"XTNN" + data[4:], "not a ctnn weights file"),
            ("version", data[:8] + b"\x02" + data[9:], "format version 2"),
        ]:
            with self.subTest(damage=name):
                (self.dir / "bad.ctnn").write_bytes(damaged)
                with self.assertRaisesRegex(interop.InteropError, message):
                    interop.load_ctnn(self.dir / "bad.ctnn")
        with self.assertRaisesRegex(interop.InteropError, "does not exist"):
            interop.load_ctnn(self.dir / "missing.ctnn")

    def test_unsupported_models_are_refused_clearly(self):
        cases = [
            (nn.Sequential(nn.Linear(2, 3), nn.GELU()), "nn.GELU is not supported"),
            (nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.0123456)), "denominator up to 1000"),
            (nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=0)), "use dim=-1"),
            (nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=-1), nn.Linear(3, 1)), "only the output layer"),
            (nn.Sequential(nn.Linear(2, 1), nn.Softmax(dim=-1)), "use nn.Sigmoid for one probability"),
            (nn.Sequential(nn.Linear(2, 3), nn.PReLU(2)), "num_parameters=3"),
            (nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Tanh()), "at most one activation"),
            (nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), "follows a layer of 3"),
            (nn.Sequential(nn.Linear(2, 3), nn.Softplus(beta=2)), "beta 1"),
            (nn.Sequential(nn.Tanh()), "must start with an nn.Linear"),
            (nn.Linear(2, 3), "expected a torch.nn.Sequential"),
        ]
        for model, message in cases:
            with self.subTest(model=str(model)):
                with self.assertRaisesRegex(interop.InteropError, message):
                    interop.model_to_ctnn(model)
        # A Heaviside step (ctnn::BinaryStep) and Swish<beta != 1> have no PyTorch module.
        for text, message in [("float;2;1:binary_step", "Heaviside step"), ("float;2;1:swish(2)", "Swish")]:
            with self.subTest(text=text):
                path = self.dir / "step.ctnn"
                path.write_bytes(interop.weights_bytes(text, "float", [np.zeros(3)]))
                with self.assertRaisesRegex(interop.InteropError, message):
                    interop.load_ctnn(path)

    def test_ratios_and_spellings_match_ctnn(self):
        self.assertEqual(interop.activation_id(nn.LeakyReLU(), 4, False), "leaky_relu(1/100)")
        self.assertEqual(interop.activation_id(nn.RReLU(), 4, False), "rrelu(1/8,1/3)")
        self.assertEqual(interop.activation_id(nn.ELU(), 4, False), "elu(1)")
        self.assertEqual(interop.activation_id(nn.LeakyReLU(-0.75), 4, False), "leaky_relu(-3/4)")
        self.assertEqual(interop.cpp_type("double;2;3:rrelu(1/8,1/3);1:elu(1)"),
                         "ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<3, ctnn::RReLU<std::ratio<1, 8>, "
                         "std::ratio<1, 3>>>, ctnn::Dense<1, ctnn::ELU<std::ratio<1>>>>")

    def test_command_line(self):
        model_file = self.dir / "my_model.py"
        model_file.write_text(
            "import torch\nfrom torch import nn\n\n"
            "def build():\n"
            "    torch.manual_seed(5)\n"
            "    return nn.Sequential(nn.Linear(4, 7), nn.PReLU(7), nn.Linear(7, 5), nn.LeakyReLU(0.1),\n"
            "                         nn.Linear(5, 6), nn.ELU(alpha=0.5), nn.Linear(6, 2), nn.Sigmoid())\n")
        weights, header, state = self.dir / "a.ctnn", self.dir / "a.hpp", self.dir / "a.pt"
        tool = [sys.executable, ARGS.tool]
        run(*tool, "export", "--model", f"{model_file}:build", "-o", weights, "--header", header, "--namespace", "a")
        self.assertIn("namespace a {", header.read_text())
        printed = run(*tool, "import", weights, "-o", state).stdout
        self.assertIn("topology: float;4;7:prelu(1/4);5:leaky_relu(1/10);6:elu(1/2);2:sigmoid", printed)
        again = self.dir / "b.ctnn"
        run(*tool, "export", "--state-dict", state, "--topology", "float;4;7:prelu(1/4);5:leaky_relu(1/10);"
            "6:elu(1/2);2:sigmoid", "-o", again)
        self.assertEqual(again.read_bytes(), weights.read_bytes())
        # The C++ program reads it, and agrees with PyTorch.
        spec = importlib.util.spec_from_file_location("my_model", model_file)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.build().eval()
        x = inputs("prelu_leaky_elu_sigmoid", torch.float32, seed=3)
        with torch.no_grad():
            expected = model(x).to(torch.float64).numpy()
        self.assert_agree(ctnn_forward("prelu_leaky_elu_sigmoid", weights, x.numpy()), expected, "float")
        failed = run(*tool, "export", "--model", f"{model_file}:missing", "-o", weights, check=False)
        self.assertEqual(failed.returncode, 1)
        self.assertIn("defines no function 'missing'", failed.stderr)

    def test_the_tools_header_compiles_and_agrees_with_pytorch(self):
        if not ARGS.compile:
            self.skipTest("no --compile command given")
        torch.manual_seed(9)
        model = pytorch_model("prelu_leaky_elu_sigmoid", torch.float32)
        model[7] = nn.Softmax(dim=-1)  # a softmax output instead of the sigmoid
        text, values = interop.model_to_ctnn(model)
        (self.dir / "from_pytorch.hpp").write_text(interop.header_text(text, values, "from_pytorch"))
        source = self.dir / "consumer.cpp"
        source.write_text(
            '#include "from_pytorch.hpp"\n#include <cstdio>\n\n'
            "static_assert(from_pytorch::network.parameter(0) == from_pytorch::parameters[0]);\n\n"
            "int main() {\n"
            "    from_pytorch::Network::input_type x{};\n"
            "    while (std::scanf(\"%f %f %f %f\", &x[0], &x[1], &x[2], &x[3]) == 4) {\n"
            "        const auto y = from_pytorch::network.forward(x);\n"
            "        std::printf(\"%.9g %.9g\\n\", static_cast<double>(y[0]), static_cast<double>(y[1]));\n"
            "    }\n}\n")
        program = self.dir / "consumer"
        run(*ARGS.compile, "-std=c++20", f"-I{self.dir}", source, "-o", program)
        x = inputs("prelu_leaky_elu_sigmoid", torch.float32, seed=4)
        stdin = "\n".join(" ".join(repr(float(v)) for v in row) for row in x.numpy()) + "\n"
        out = run(program, stdin=stdin).stdout
        actual = np.array([[float(v) for v in line.split()] for line in out.strip().splitlines()])
        with torch.no_grad():
            expected = model(x).to(torch.float64).numpy()
        self.assert_agree(actual, expected, "float")


def main():
    global ARGS, interop
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runner", required=True, help="run_network, built")
    parser.add_argument("--tool", required=True, help="tools/pytorch_interop.py")
    parser.add_argument("--compile", nargs=argparse.REMAINDER, default=None,
                        help="a compiler command with flags and include paths, to compile the tool's header")
    ARGS, rest = parser.parse_known_args()
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("pytorch_interop", ARGS.tool)
    interop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(interop)
    torch.set_num_threads(1)
    unittest.main(argv=[sys.argv[0], "-v"] + rest)


if __name__ == "__main__":
    main()
