#!/usr/bin/env python3
"""PyTorch <-> ctnn interop test (registered by tests/interop/CMakeLists.txt when PyTorch is importable).

  interop_test.py --runner RUN_NETWORK --tool tools/pytorch_interop.py [--compile CXX FLAGS...]

RUN_NETWORK is tests/interop/run_network.cpp built; it has three topologies compiled in. For each:
- PyTorch -> ctnn: a PyTorch model built here from nn modules, with random weights, is exported by the tool; the C++
  program loads the file and its outputs must agree with PyTorch's (rtol 1e-5 for float, 1e-12 for double);
- ctnn -> PyTorch: the C++ program saves a random network; the tool reads it into PyTorch, whose outputs must agree,
  and writing it back gives the same bytes.
Also: the command line (export from a model file and from a state_dict, import), state_dicts of models written in
the usual ways (a Sequential with Dropout, a named Sequential, an nn.Module with fc1, fc2, ...) and malformed ones
(each refused in one line, no traceback), refusals (unsupported modules, inexact ratios, a Heaviside step, a file of
another topology), the -fconstexpr-steps note of the tool's header against ctnn::io::export_header's, and, with
--compile, the tool's C++ header compiled against ctnn and compared with PyTorch.
"""

import collections
import contextlib
import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional

import interop_support
from interop_support import ARGS, TestCase, ctnn_forward, randomized, run

interop = None  # tools/pytorch_interop.py, loaded in main()


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


PRELU_TOPOLOGY = "float;4;7:prelu(1/4);5:leaky_relu(1/10);6:elu(1/2);2:sigmoid"

TOPOLOGIES = {
    "tanh_relu_softmax": torch.float32,
    "prelu_leaky_elu_sigmoid": torch.float32,
    "softplus_silu_rrelu_linear": torch.float64,
}


def inputs(topology: str, dtype, count=64, seed=0) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    width = {"tanh_relu_softmax": 3, "prelu_leaky_elu_sigmoid": 4, "softplus_silu_rrelu_linear": 2}[topology]
    return (torch.randn(count, width, generator=generator, dtype=torch.float64) * 2).to(dtype)


class Interop(TestCase):
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
            (nn.Sequential(nn.Tanh()), "must start with an nn.Linear, not Tanh"),
            (nn.Sequential(nn.Conv1d(1, 2, 3), nn.Linear(3, 1)), "not Conv1d"),
            (nn.Linear(2, 3), "expected a torch.nn.Sequential, got Linear .for any other module, save its state_dict"),
        ]
        for model, message in cases:
            with self.subTest(model=str(model)):
                with self.assertRaisesRegex(interop.InteropError, message):
                    interop.model_to_ctnn(model)
        # A Heaviside step (ctnn::BinaryStep) and Swish::with<beta != 1> have no PyTorch module.
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
                         "ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<3, ctnn::RReLU>, "
                         "ctnn::Dense<1, ctnn::ELU>>")
        self.assertEqual(interop.cpp_type("float;2;3:rrelu(1/8,1/2);1:elu(3)"),
                         "ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::RReLU::with<std::ratio<1, 8>, "
                         "std::ratio<1, 2>>>, ctnn::Dense<1, ctnn::ELU::with<std::ratio<3>>>>")

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
        self.assert_refused("defines no function 'missing'", "export", "--model", f"{model_file}:missing", "-o",
                            weights)

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

    # State_dicts: models written as users write them, converted by the command line with --topology.

    def state_dict_models(self):
        """(what, model, topology of run_network) for the ways of writing a model that state_dicts come from."""

        class Subclass(nn.Module):  # fc1..fc4 attributes, functional activations, the PReLU declared last
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2, self.fc3 = nn.Linear(4, 7), nn.Linear(7, 5), nn.Linear(5, 6)
                self.fc4 = nn.Linear(6, 2, bias=False)
                self.prelu = nn.PReLU(7)

            def forward(self, x):
                x = functional.leaky_relu(self.fc2(self.prelu(self.fc1(x))), 0.1)
                return torch.sigmoid(self.fc4(functional.elu(self.fc3(x), alpha=0.5)))

        class DoubleSubclass(nn.Module):  # double, attributes named otherwise, one shared PReLU slope
            def __init__(self):
                super().__init__()
                self.hidden = nn.Linear(4, 7, dtype=torch.float64)
                self.act = nn.PReLU(dtype=torch.float64)
                self.drop = nn.Dropout(0.5)
                self.middle = nn.Linear(7, 5, dtype=torch.float64)
                self.last = nn.Linear(5, 6, dtype=torch.float64)
                self.head = nn.Linear(6, 2, dtype=torch.float64)

            def forward(self, x):
                x = functional.leaky_relu(self.middle(self.drop(self.act(self.hidden(x)))), 0.1)
                return torch.sigmoid(self.head(functional.elu(self.last(x), alpha=0.5)))

        return [
            ("Sequential with Dropout", nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Dropout(0.2), nn.Linear(8, 6),
                                                      nn.ReLU(), nn.Dropout(0.1), nn.Linear(6, 4), nn.Softmax(-1)),
             "tanh_relu_softmax", "float;3;8:tanh;6:relu;4:softmax"),
            ("named Sequential", nn.Sequential(collections.OrderedDict(
                hidden1=nn.Linear(4, 7), act1=nn.PReLU(7), hidden2=nn.Linear(7, 5), act2=nn.LeakyReLU(0.1),
                hidden3=nn.Linear(5, 6), act3=nn.ELU(0.5), out=nn.Linear(6, 2), prob=nn.Sigmoid())),
             "prelu_leaky_elu_sigmoid", PRELU_TOPOLOGY),
            ("nn.Module subclass", Subclass(), "prelu_leaky_elu_sigmoid", PRELU_TOPOLOGY),
            ("double nn.Module subclass", DoubleSubclass(), "prelu_leaky_elu_sigmoid", PRELU_TOPOLOGY),
        ]

    def test_state_dicts_of_models_written_in_the_usual_ways_convert_and_agree(self):
        for seed, (what, model, topology, text) in enumerate(self.state_dict_models()):
            with self.subTest(model=what):
                torch.manual_seed(200 + seed)
                model = randomized(model)
                state, weights = self.dir / "model.pt", self.dir / "model.ctnn"
                torch.save(model.state_dict(), state)
                # The double model goes into run_network's float network: --dtype float.
                self.assert_converts("export", "--state-dict", state, "--topology", text, "-o", weights,
                                     "--dtype", "float", in_process=True)
                x = inputs(topology, torch.float64, seed=seed)
                with torch.no_grad():
                    expected = model(x.to(next(model.parameters()).dtype)).to(torch.float64).numpy()
                self.assert_agree(ctnn_forward(topology, weights, x.numpy()), expected, "float")

    def test_malformed_state_dicts_are_refused_in_one_line(self):
        _, model, _, text = self.state_dict_models()[0]
        state = self.dir / "model.pt"
        torch.save(model.state_dict(), state)

        def saved(name, value):
            path = self.dir / name
            torch.save(value, path)
            return path

        without_last_weight = collections.OrderedDict((k, v) for k, v in model.state_dict().items() if k != "6.weight")
        named = self.state_dict_models()[1][1]
        without_prelu = collections.OrderedDict((k, v) for k, v in named.state_dict().items() if k != "act1.weight")
        batch_norm = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Linear(8, 4)).state_dict()
        conv = nn.Sequential(nn.Conv1d(1, 2, 3), nn.Linear(3, 8)).state_dict()
        (self.dir / "text.pt").write_text("not a torch file\n")
        out = ["-o", self.dir / "out.ctnn"]
        for state_dict, topology, message in [
            (state, "float;3;9:tanh;6:relu;4:softmax", "'0.weight' has shape [8, 3], but the weight of layer 1"),
            (state, "float;4;8:tanh;6:relu;4:softmax", "'0.weight' has shape [8, 3], but the weight of layer 1"),
            (state, "float;3;8:tanh;6:relu;5:softmax", "'6.weight' has shape [4, 6], but the weight of layer 3"),
            (state, "float;3;8:prelu;6:relu;4:softmax", "needs 1 ratio parameter(s) in parentheses, e.g. 'prelu(1/4)'"),
            (state, "float;3;8:tanh;6:relu", "holds 3 Linear layer(s)"),
            (state, "float;3;8:tanh;6:relu;4:linear;2:sigmoid", "the topology 4"),
            (state, "float;3;8:prelu(1/4);6:relu;4:softmax", "holds 0 PReLU weight(s), the topology 1"),
            (state, "float;3;8:tanhh;6:relu;4:softmax", "unknown activation 'tanhh'"),
            (state, "3;8:tanh", "is not a ctnn topology text"),
            (saved("missing.pt", without_last_weight), text, "'6.bias' [4] belongs to neither an nn.Linear"),
            (saved("no_prelu.pt", without_prelu), PRELU_TOPOLOGY, "holds 0 PReLU weight(s), the topology 1"),
            (saved("bn.pt", batch_norm), "float;3;8:prelu(1/4);4:linear", "layer '1' has no ctnn equivalent"),
            (saved("conv.pt", conv), "float;3;8:linear", "'0.weight' [2, 1, 3] belongs to neither"),
            (saved("list.pt", [1, 2]), text, "holds a list, not a state_dict"),
            (saved("module.pt", model), text, "holds more than tensors (a whole module"),
            (saved("strings.pt", {"a": "b"}), text, "'a' is a str, not a tensor"),
            (self.dir / "text.pt", text, "is not a state_dict saved with torch.save"),
            (self.dir / "absent.pt", text, "absent.pt does not exist"),
            (self.dir, text, "is a directory"),
        ]:
            with self.subTest(state_dict=Path(state_dict).name, topology=topology):
                self.assert_refused(message, "export", "--state-dict", state_dict, "--topology", topology, *out,
                                    in_process=True)
        self.assert_refused("--state-dict needs --topology", "export", "--state-dict", state, *out, in_process=True)
        self.assert_refused("cannot write", "export", "--state-dict", state, "--topology", text, "-o",
                            self.dir / "no" / "such" / "dir.ctnn", in_process=True)
        # test_command_line runs a refusal through the command line itself (a process of its own, as a user does).

    def test_a_state_dict_export_shows_which_tensors_went_to_which_layer(self):
        _, model, _, text = self.state_dict_models()[1]
        state = self.dir / "model.pt"
        torch.save(model.state_dict(), state)
        stdout = self.assert_converts("export", "--state-dict", state, "--topology", text, "-o",
                                      self.dir / "out.ctnn", in_process=True)
        names = list(model.state_dict())
        lines = [line.strip() for line in stdout.splitlines() if line.strip().startswith("layer ")]
        self.assertEqual(len(lines), len(text.split(";")) - 2, stdout)
        # Every tensor of the state_dict is named once, in its order, on the line of its layer.
        mentioned = [name for line in lines for name in names if f" {name} [" in f" {line.split(': ', 1)[1]}"]
        self.assertEqual(sorted(mentioned), sorted(names), stdout)
        self.assertIn(f"layer 1 ({text.split(';')[2]}): {names[0]} ", stdout)

    def test_a_missing_module_is_named_with_the_python_that_lacks_it(self):
        def lacks_numpy(_):
            raise ModuleNotFoundError("No module named 'numpy'", name="numpy")

        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(interop.run_command("tool", lacks_numpy, None), 1)
        self.assertEqual(stderr.getvalue().count("\n"), 1, stderr.getvalue())
        self.assertIn("the Python module 'numpy' is not installed for " + sys.executable, stderr.getvalue())
        self.assertIn("apt-get install python3-numpy", stderr.getvalue())
        # The tool in a process of its own, under a Python whose torch cannot be imported (a stand-in package first
        # on the path): the same one line, naming torch.
        fake = self.dir / "no_torch" / "torch"
        fake.mkdir(parents=True)
        (fake / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'torch'\", name='torch')\n")
        result = subprocess.run([sys.executable, ARGS.tool, "export", "--state-dict", self.dir / "x.pt", "--topology",
                                 "float;2;1:linear", "-o", self.dir / "x.ctnn"], capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(fake.parent)})
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertIn("the Python module 'torch' is not installed for", result.stderr)

    def test_unexpected_errors_are_one_line_with_a_request_to_report(self):
        def fails(_):
            raise ZeroDivisionError("division by zero\nsecond line")

        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            self.assertEqual(interop.run_command("tool", fails, None), 1)
        self.assertEqual(stderr.getvalue(), "tool: unexpected error: ZeroDivisionError: division by zero second "
                         "line (a fault of the tool: please report it with the command line; CTNN_TOOL_TRACEBACK=1 "
                         "shows the traceback)\n")

    def test_the_headers_constexpr_steps_note_is_export_headers(self):
        # clang's default limit is 1048576 steps; export_header names the -fconstexpr-steps a network needs above it.
        generator = np.random.default_rng(1)
        for topology, text, count, needs_note in [("tanh_relu_softmax", "float;3;8:tanh;6:relu;4:softmax", 114, False),
                                                  ("wide_linear", "float;1024;512:linear", 524800, True)]:
            with self.subTest(topology=topology):
                values = [generator.normal(size=count)]
                path = self.dir / "net.ctnn"
                path.write_bytes(interop.weights_bytes(text, "float", values))
                cpp = run(ARGS.runner, topology, "header", path, "net").stdout.splitlines()
                python = interop.header_text(text, values, "net").splitlines()
                # Every line but the generator's name and the parameters' literals (hexadecimal in Python's) is the
                # same.
                self.assertEqual([line for line in cpp[1:] if not line.startswith("    ")],
                                 [line for line in python[1:] if not line.startswith("    ")])
                self.assertEqual(any("-fconstexpr-steps" in line for line in python), needs_note)


def main():
    def loaded(module):
        global interop
        interop = module

    interop_support.main(__doc__, "pytorch_interop", loaded)


if __name__ == "__main__":
    main()
