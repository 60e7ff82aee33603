#!/usr/bin/env python3
"""ONNX -> ctnn test (registered by tests/interop/CMakeLists.txt when torch and onnx are importable).

  onnx_test.py --runner RUN_NETWORK --tool tools/onnx_import.py

PyTorch models are exported with torch.onnx.export (Gemm with transB=1; MatMul + Add for a 3-D input; Flatten or
Reshape of a [N, 1, 3] input), and ONNX graphs
are written node by node with onnx.helper (Gemm with transB=0, MatMul + Add, Add before the MatMul's output, Softmax of
opset 11); the tool converts each into a ctnn weights file, and run_network's outputs must agree with PyTorch's (rtol
1e-5 for float, 1e-12 for double). Models ctnn cannot represent (Conv, Dropout in training mode, SiLU's Mul, a skip
connection, an inexact alpha, Gemm's alpha, a hidden Softmax, a BatchNormalization after an activation, first or in
training mode, ...) are refused in one line that names the node. A BatchNormalization right after a Gemm or MatMul + Add
(torch's BatchNorm1d, with running statistics set away from their initial values) is folded into that layer, and the
outputs must agree with PyTorch's eval-mode outputs as above.
"""

import warnings

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

import interop_support
from interop_support import TestCase, ctnn_forward

tool = None  # tools/onnx_import.py, loaded in main()


def randomized(model, dtype=torch.float32):
    return interop_support.randomized(model.to(dtype))


def export(model, path, example):
    """torch.onnx.export with a batch axis of any size, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(path), input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, verbose=False)


def graph_model(nodes, initializers, width, units, opset=13):
    """An ONNX model of `nodes`, input "x" [N, width] and output "y" [N, units], float."""
    graph = helper.make_graph(
        nodes, "handmade", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", width])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", units])],
        [numpy_helper.from_array(np.asarray(v, dtype=np.float32), name) for name, v in initializers.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


class OnnxImport(TestCase):
    def convert_and_compare(self, model, path, topology, x, scalar):
        """Converts the ONNX file `path`; run_network's `topology` must agree with the PyTorch `model` on x."""
        weights = self.dir / "net.ctnn"
        self.assert_converts(path, "-o", weights, in_process=True)
        with torch.no_grad():
            expected = model(x).to(torch.float64).numpy().reshape(len(x), -1)
        self.assert_agree(ctnn_forward(topology, weights, x.to(torch.float64).numpy().reshape(len(x), -1)), expected,
                          scalar)

    def test_models_exported_by_pytorch_agree(self):
        cases = [
            # Flatten of the [N, 3] input and Dropout (dropped by the eval-mode export) are harmless.
            ("tanh_relu_softmax", torch.float32, nn.Sequential(
                nn.Flatten(), nn.Linear(3, 8), nn.Tanh(), nn.Dropout(0.3), nn.Linear(8, 6), nn.ReLU(),
                nn.Linear(6, 4), nn.Softmax(dim=1))),
            ("prelu_leaky_elu_sigmoid", torch.float32, nn.Sequential(
                nn.Linear(4, 7), nn.PReLU(7), nn.Linear(7, 5), nn.LeakyReLU(0.1), nn.Linear(5, 6), nn.ELU(alpha=0.5),
                nn.Linear(6, 2), nn.Sigmoid())),
            ("softplus_linear_tanh", torch.float64, nn.Sequential(
                nn.Linear(5, 6), nn.Softplus(), nn.Linear(6, 4), nn.Identity(), nn.Linear(4, 3), nn.Tanh())),
            # nn.SiLU exports as Sigmoid, then Mul of its input and output: ctnn's Swish (beta 1).
            ("relu_silu_sigmoid", torch.float32, nn.Sequential(
                nn.Linear(3, 6), nn.ReLU(), nn.Linear(6, 5), nn.SiLU(), nn.Linear(5, 2), nn.Sigmoid())),
        ]
        for seed, (topology, dtype, model) in enumerate(cases):
            with self.subTest(topology=topology):
                torch.manual_seed(300 + seed)
                model = randomized(model, dtype)
                width = model[1].in_features if isinstance(model[0], nn.Flatten) else model[0].in_features
                path = self.dir / "model.onnx"
                export(model, path, torch.zeros(2, width, dtype=dtype))
                self.assertIn("Gemm", {node.op_type for node in onnx.load(str(path)).graph.node})
                x = torch.randn(64, width, generator=torch.Generator().manual_seed(seed), dtype=dtype) * 2
                self.convert_and_compare(model, path, topology, x, "float" if dtype == torch.float32 else "double")

    def test_a_3d_input_exported_as_matmul_and_add_agrees(self):
        torch.manual_seed(310)
        model = randomized(nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4),
                                         nn.Softmax(dim=-1)))
        path = self.dir / "model.onnx"
        export(model, path, torch.zeros(2, 5, 3))  # [batch, sequence, features]: Linear exports as MatMul + Add
        ops = [node.op_type for node in onnx.load(str(path)).graph.node]
        self.assertIn("MatMul", ops)
        self.assertNotIn("Gemm", ops)
        x = torch.randn(16, 1, 3, generator=torch.Generator().manual_seed(1)) * 2
        self.convert_and_compare(model, path, "tanh_relu_softmax", x, "float")

    def test_flatten_and_reshape_of_the_input_are_skipped(self):
        class Reshaped(nn.Module):  # [N, 1, 3] samples: Reshape to [-1, 3] (a Constant shape), then the layers
            def __init__(self, layers):
                super().__init__()
                self.layers = layers

            def forward(self, x):
                return self.layers(x.reshape(-1, 3))

        def layers():
            return nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4),
                                 nn.Softmax(dim=-1))

        x = torch.randn(16, 1, 3, generator=torch.Generator().manual_seed(4)) * 2
        for seed, (op, model) in enumerate([("Flatten", nn.Sequential(nn.Flatten(), *layers())),
                                            ("Reshape", Reshaped(layers()))]):
            with self.subTest(op=op):
                torch.manual_seed(340 + seed)
                model = randomized(model)
                path = self.dir / "model.onnx"
                export(model, path, torch.zeros(2, 1, 3))
                self.assertIn(op, {node.op_type for node in onnx.load(str(path)).graph.node})
                self.convert_and_compare(model, path, "tanh_relu_softmax", x, "float")

    def test_batch_normalization_right_after_a_layer_is_folded_into_it(self):
        def with_statistics(model, seed, fresh=()):
            """BatchNorm1d layers with running statistics, scale and shift far from their initial 0, 1, 1, 0, except
            those at the indices `fresh`, which get their initial values."""
            generator = torch.Generator().manual_seed(seed)
            with torch.no_grad():
                for index, module in enumerate(model):
                    if index in fresh:
                        module.reset_parameters()
                    elif isinstance(module, nn.BatchNorm1d):
                        units = module.num_features
                        module.running_mean.copy_(torch.randn(units, generator=generator))
                        module.running_var.copy_(torch.rand(units, generator=generator) * 2.5 + 0.3)
                        module.weight.copy_(torch.rand(units, generator=generator) * 1.5 + 0.5)
                        module.bias.copy_(torch.randn(units, generator=generator) * 0.5)
            return model.eval()

        # As torch.onnx.export writes it: Gemm, then BatchNormalization (training_mode=0), with or without an
        # activation after it.
        cases = [
            ("tanh_relu_softmax", torch.float32, nn.Sequential(
                nn.Linear(3, 8), nn.BatchNorm1d(8), nn.Tanh(), nn.Linear(8, 6), nn.BatchNorm1d(6, eps=1e-3), nn.ReLU(),
                nn.Linear(6, 4), nn.Softmax(dim=1))),
            ("softplus_linear_tanh", torch.float64, nn.Sequential(
                nn.Linear(5, 6), nn.BatchNorm1d(6), nn.Softplus(), nn.Linear(6, 4), nn.BatchNorm1d(4), nn.Linear(4, 3),
                nn.Tanh())),
        ]
        for seed, (topology, dtype, model) in enumerate(cases):
            with self.subTest(topology=topology):
                torch.manual_seed(350 + seed)
                # The second case's last BatchNorm1d keeps its initial values: the export shares its equal
                # initializers through Identity nodes (running_var is an Identity of weight).
                model = with_statistics(randomized(model, dtype), seed, fresh=(4,) if seed == 1 else ())
                width = model[0].in_features
                path = self.dir / "model.onnx"
                export(model, path, torch.zeros(2, width, dtype=dtype))
                ops = [node.op_type for node in onnx.load(str(path)).graph.node]
                self.assertEqual(ops.count("BatchNormalization"), 2)
                self.assertEqual("Identity" in ops, seed == 1)
                x = torch.randn(64, width, generator=torch.Generator().manual_seed(seed), dtype=dtype) * 2
                self.convert_and_compare(model, path, topology, x, "float" if dtype == torch.float32 else "double")

        # Written with onnx.helper: MatMul + Add, then BatchNormalization with its own epsilon.
        torch.manual_seed(352)
        model = with_statistics(randomized(nn.Sequential(
            nn.Linear(3, 8), nn.BatchNorm1d(8, eps=0.25), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4),
            nn.Softmax(dim=-1))), 2)
        linear, norm = [m for m in model if isinstance(m, nn.Linear)], model[1]
        nodes = [
            helper.make_node("MatMul", ["x", "w1"], ["p1"], name="matmul"),
            helper.make_node("Add", ["p1", "b1"], ["z1"], name="add"),
            helper.make_node("BatchNormalization", ["z1", "gamma", "beta", "mean", "var"], ["n1"], name="norm",
                             epsilon=0.25),
            helper.make_node("Tanh", ["n1"], ["h1"], name="tanh"),
            helper.make_node("Gemm", ["h1", "w2", "b2"], ["z2"], name="gemm", transB=1),
            helper.make_node("Relu", ["z2"], ["h2"], name="relu"),
            helper.make_node("Gemm", ["h2", "w3", "b3"], ["z3"], name="last", transB=1),
            helper.make_node("Softmax", ["z3"], ["y"], name="softmax", axis=-1),
        ]
        parameters = {"w1": linear[0].weight.detach().numpy().T, "b1": linear[0].bias, "gamma": norm.weight,
                      "beta": norm.bias, "mean": norm.running_mean, "var": norm.running_var, "w2": linear[1].weight,
                      "b2": linear[1].bias, "w3": linear[2].weight, "b3": linear[2].bias}
        path = self.dir / "handmade.onnx"
        onnx.save(graph_model(nodes, {name: np.asarray(value.detach().numpy() if torch.is_tensor(value) else value)
                                      for name, value in parameters.items()}, 3, 4, opset=15), str(path))
        x = torch.randn(64, 3, generator=torch.Generator().manual_seed(7)) * 2
        self.convert_and_compare(model, path, "tanh_relu_softmax", x, "float")

    def test_graphs_written_with_onnx_helper_agree(self):
        torch.manual_seed(320)
        model = randomized(nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 4),
                                         nn.Softmax(dim=-1)))
        w = [m.weight.detach().numpy() for m in model if isinstance(m, nn.Linear)]
        b = [m.bias.detach().numpy() for m in model if isinstance(m, nn.Linear)]
        # Layer 1: MatMul by W^T [3, 8], then Add(bias, product); layer 2: Gemm with transB=0 and C of shape [1, 6];
        # layer 3: MatMul, Add, and an Add of zero to the bias; Softmax of opset 11 (axis 1 by default).
        nodes = [
            helper.make_node("MatMul", ["x", "w1"], ["p1"], name="first_matmul"),
            helper.make_node("Add", ["b1", "p1"], ["z1"], name="first_add"),
            helper.make_node("Tanh", ["z1"], ["h1"], name="tanh"),
            helper.make_node("Gemm", ["h1", "w2", "b2"], ["z2"], name="gemm", transB=0),
            helper.make_node("Relu", ["z2"], ["h2"], name="relu"),
            helper.make_node("MatMul", ["h2", "w3"], ["p3"], name="last_matmul"),
            helper.make_node("Add", ["p3", "b3"], ["q3"], name="last_add"),
            helper.make_node("Add", ["q3", "zero"], ["z3"], name="zero_add"),
            helper.make_node("Softmax", ["z3"], ["y"], name="softmax"),
        ]
        initializers = {"w1": w[0].T, "b1": b[0], "w2": w[1].T, "b2": b[1].reshape(1, 6), "w3": w[2].T, "b3": b[2],
                        "zero": np.zeros(1)}
        path = self.dir / "handmade.onnx"
        onnx.save(graph_model(nodes, initializers, 3, 4, opset=11), str(path))
        x = torch.randn(64, 3, generator=torch.Generator().manual_seed(2)) * 2
        self.convert_and_compare(model, path, "tanh_relu_softmax", x, "float")
        # The comparison notices one wrong weight.
        initializers["w3"] = initializers["w3"].copy()
        initializers["w3"][1, 0] += 0.05
        onnx.save(graph_model(nodes, initializers, 3, 4, opset=11), str(path))
        with self.assertRaises(AssertionError):
            self.convert_and_compare(model, path, "tanh_relu_softmax", x, "float")

    def test_the_command_line_writes_weights_and_a_header(self):
        torch.manual_seed(330)
        model = randomized(nn.Sequential(nn.Linear(4, 7), nn.PReLU(7), nn.Linear(7, 5), nn.LeakyReLU(0.1),
                                         nn.Linear(5, 6), nn.ELU(alpha=0.5), nn.Linear(6, 2), nn.Sigmoid()))
        path, weights, header = self.dir / "my model.onnx", self.dir / "net.ctnn", self.dir / "net.hpp"
        export(model, path, torch.zeros(1, 4))
        printed = self.assert_converts(path, "-o", weights, "--header", header, "--namespace", "net")
        self.assertIn("float;4;7:prelu(1/4);5:leaky_relu(1/10);6:elu(1/2);2:sigmoid", printed)
        text = header.read_text()
        self.assertIn("namespace net {", text)
        self.assertIn("using Network = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<7, ctnn::PReLU>, "
                      "ctnn::Dense<5, ctnn::LeakyReLU::with<std::ratio<1, 10>>>", text)
        x = torch.randn(32, 4, generator=torch.Generator().manual_seed(3)) * 2
        with torch.no_grad():
            expected = model(x).numpy()
        self.assert_agree(ctnn_forward("prelu_leaky_elu_sigmoid", weights, x.numpy()), expected, "float")

    def test_models_ctnn_cannot_represent_are_refused_naming_the_node(self):
        def exported(name, model, example):
            path = self.dir / f"{name}.onnx"
            export(model.eval(), path, example)
            return path

        def handmade(name, nodes, initializers, width=3, units=4):
            path = self.dir / f"{name}.onnx"
            onnx.save(graph_model(nodes, initializers, width, units), str(path))
            return path

        class Residual(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 3)

            def forward(self, x):
                return x + self.fc(x)

        w, b = np.ones((3, 4)), np.zeros(4)
        training_dropout = handmade("dropout", [
            helper.make_node("MatMul", ["x", "w"], ["z"], name="mm"),
            helper.make_node("Dropout", ["z", "ratio", "training"], ["y"], name="drop")],
            {"w": w, "ratio": np.array(0.5)})
        training_dropout_model = onnx.load(str(training_dropout))
        training_dropout_model.graph.initializer.append(numpy_helper.from_array(np.array(True), "training"))
        onnx.save(training_dropout_model, str(training_dropout))
        (self.dir / "text.onnx").write_text("not a model\n")
        training_batch_norm = self.dir / "training_batch_norm.onnx"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU()).train(), torch.zeros(2, 3),
                              str(training_batch_norm), training=torch.onnx.TrainingMode.TRAINING,
                              do_constant_folding=False)
        cases = [
            (exported("conv", nn.Sequential(nn.Conv1d(1, 2, 3), nn.Flatten(), nn.Linear(2, 1)), torch.zeros(1, 1, 3)),
             "node '/0/Conv' (Conv): is not supported"),
            (training_dropout, "node 'drop' (Dropout): is in training mode"),
            (handmade("mul_of_other", [helper.make_node("MatMul", ["x", "w"], ["z"], name="mm"),
                                       helper.make_node("Sigmoid", ["z"], ["s"], name="sig"),
                                       helper.make_node("Mul", ["s", "x"], ["y"], name="gate")], {"w": w}),
             "node 'gate' (Mul): is not supported"),
            (exported("gelu", nn.Sequential(nn.Linear(3, 4), nn.GELU()), torch.zeros(1, 3)),
             "is not supported (part of GELU"),
            (exported("residual", Residual(), torch.zeros(1, 3)), "(Add): takes ['x', '/fc/Gemm_output_0']"),
            (exported("leaky", nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.0123456)), torch.zeros(1, 3)),
             "node '/1/LeakyRelu' (LeakyRelu) alpha is 0.0123455999"),
            (exported("hidden_softmax", nn.Sequential(nn.Linear(3, 4), nn.Softmax(-1), nn.Linear(4, 2)),
                      torch.zeros(1, 3)), "follows node '/1/Softmax' (Softmax): only the output layer"),
            (exported("softmax_1", nn.Sequential(nn.Linear(3, 1), nn.Softmax(-1)), torch.zeros(1, 3)),
             "over 1 unit always outputs 1"),
            (exported("two_activations", nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.ReLU()), torch.zeros(1, 3)),
             "node '/2/Relu' (Relu): follows node '/1/Tanh' (Tanh): each ctnn layer has one activation"),
            (exported("activation_first", nn.Sequential(nn.Tanh(), nn.Linear(3, 4)), torch.zeros(1, 3)),
             "(Tanh): comes before the first Gemm or MatMul"),
            (exported("batch_norm_after_activation", nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4),
                                                                    nn.Linear(4, 2)), torch.zeros(2, 3)),
             "node '/2/BatchNormalization' (BatchNormalization): follows node '/1/Relu' (Relu): ctnn folds a "
             "BatchNormalization only into the Gemm or MatMul (+ Add) right before it, not after an activation; put "
             "the BatchNorm between the Linear layer and its activation"),
            (exported("batch_norm_first", nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 4)), torch.zeros(2, 3)),
             "node '/0/BatchNormalization' (BatchNormalization): comes before the first Gemm or MatMul: ctnn folds a "
             "BatchNormalization into the fully connected layer right before it"),
            (training_batch_norm, "(BatchNormalization): is in training mode (it uses the batch's statistics); export "
             "the model in eval mode"),
            (handmade("alpha", [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="g", alpha=2.0)],
                      {"w": w, "b": b}), "node 'g' (Gemm): alpha=2.0: only 1 is supported"),
            (handmade("softmax_axis", [helper.make_node("MatMul", ["x", "w"], ["z"], name="mm"),
                                       helper.make_node("Softmax", ["z"], ["y"], name="sm", axis=0)], {"w": w}),
             "node 'sm' (Softmax): axis=0"),
            (handmade("variable_weight", [helper.make_node("MatMul", ["x", "x"], ["y"], name="square")], {}),
             "node 'square' (MatMul): takes ['x', 'x']"),
            (handmade("no_layer", [helper.make_node("Identity", ["x"], ["y"], name="id")], {}, units=3),
             "the model has no Gemm or MatMul layer"),
            (self.dir / "text.onnx", "is not an ONNX model"),
            (self.dir / "absent.onnx", "absent.onnx does not exist"),
        ]
        for path, message in cases:
            with self.subTest(model=path.name):
                self.assert_refused(message, path, "-o", self.dir / "out.ctnn", in_process=True)
        # Through the command line itself, as a user sees it.
        self.assert_refused("node '/0/Conv' (Conv): is not supported", cases[0][0], "-o", self.dir / "out.ctnn")


def main():
    def loaded(module):
        global tool
        tool = module

    interop_support.main(__doc__, "onnx_import", loaded)


if __name__ == "__main__":
    main()
