"""What the interop tests share: running the tools and run_network, and comparing outputs.

Each test script (interop_test.py, onnx_test.py, sklearn_test.py) takes --runner (run_network, built) and --tool (the
tool under test); main() loads the tool as a module and runs the script's unittest cases.
"""

import argparse
import contextlib
import importlib.util
import io
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

# How close ctnn's outputs must be to the reference's: float rounding of each scalar type.
TOLERANCE = {"float": dict(rtol=1e-5, atol=1e-6), "double": dict(rtol=1e-12, atol=1e-13)}

ARGS = argparse.Namespace(runner=None, tool=None, compile=None)
TOOL = None  # the tool under test, loaded as a module by main()


def run(*args, stdin=None, check=True):
    """Runs a command; with `check`, a non-zero exit status fails the test with its stderr."""
    result = subprocess.run([str(a) for a in args], input=stdin, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr}")
    return result


def ctnn_forward(topology: str, weights: Path, x: np.ndarray) -> np.ndarray:
    """Outputs of run_network's `topology` with the parameters in `weights`, for inputs x (one sample per row)."""
    stdin = "\n".join(" ".join(repr(float(v)) for v in row) for row in x) + "\n"
    out = run(ARGS.runner, topology, "forward", weights, stdin=stdin).stdout
    return np.array([[float(v) for v in line.split()] for line in out.strip().splitlines()])


def run_tool(*args, in_process=False):
    """Runs the tool under test's command line: (exit status, stdout, stderr).

    In its own process, as a user would; or, `in_process`, its main() in this one (no second import of torch, which
    takes seconds): the same lines on stdout and stderr, and an exception the tool lets through fails the test.
    """
    if not in_process:
        result = run(sys.executable, ARGS.tool, *args, check=False)
        return result.returncode, result.stdout, result.stderr
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            status = TOOL.main([str(a) for a in args])
        except SystemExit as exit:  # argparse's usage errors
            status = exit.code
    return status, stdout.getvalue(), stderr.getvalue()


class TestCase(unittest.TestCase):
    """A test case with a temporary directory `self.dir` and the comparisons the interop tests make."""

    def setUp(self):
        self._directory = tempfile.TemporaryDirectory(prefix="ctnn_interop_")
        self.dir = Path(self._directory.name)

    def tearDown(self):
        self._directory.cleanup()

    def assert_agree(self, actual, expected, scalar, **tolerance):
        np.testing.assert_allclose(actual, expected, **(tolerance or TOLERANCE[scalar]))

    def assert_converts(self, *args, in_process=False):
        """The tool's command line succeeds; returns its stdout."""
        status, stdout, stderr = run_tool(*args, in_process=in_process)
        self.assertEqual(status, 0, stderr)
        return stdout

    def assert_refused(self, message, *args, in_process=False):
        """The tool's command line fails with exit status 1 and `message` in one line of stderr, no traceback."""
        status, _, stderr = run_tool(*args, in_process=in_process)
        self.assertEqual(status, 1, stderr)
        self.assertNotIn("Traceback", stderr)
        self.assertEqual(len(stderr.strip().splitlines()), 1, stderr)
        self.assertIn(message, stderr)
        return stderr


def randomized(model):
    """A torch `model` in eval mode, with weights large enough that outputs vary with the inputs (PyTorch's default
    initialisation makes them nearly constant), biases spread around 0 and PReLU slopes away from their 0.25."""
    import torch  # noqa: PLC0415 (the scikit-learn test runs without torch)

    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if parameter.dim() == 2:
                parameter.normal_(0.0, 1.5 / parameter.shape[1] ** 0.5)
            elif name.endswith("bias"):
                parameter.normal_(0.0, 0.5)
            else:
                parameter.uniform_(0.05, 0.5)
    return model.eval()


def main(doc: str, module_name: str, loaded) -> None:
    """Parses --runner, --tool and --compile, loads the tool as `module_name`, hands it to loaded(tool) (the test
    scripts keep it as a global) and runs the unittest cases of the script run as __main__."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--runner", required=True, help="run_network, built")
    parser.add_argument("--tool", required=True, help="the tool under test (tools/*.py)")
    parser.add_argument("--compile", nargs=argparse.REMAINDER, default=None,
                        help="a compiler command with flags and include paths, to compile the tools' headers")
    args, rest = parser.parse_known_args()
    vars(ARGS).update(vars(args))
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location(module_name, ARGS.tool)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    global TOOL
    TOOL = tool
    loaded(tool)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)  # the machine is shared; the networks are small
    unittest.main(module="__main__", argv=[sys.argv[0], "-v"] + rest)
