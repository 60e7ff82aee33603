#!/usr/bin/python3
"""Convert a fitted scikit-learn MLPClassifier or MLPRegressor into a ctnn weights file and/or a C++ header.

  sklearn_import.py model.joblib -o net.ctnn [--header net.hpp --namespace net] [--dtype float|double]

The file is a model saved with joblib.dump or pickle.dump: an MLPClassifier or MLPRegressor, or a Pipeline of
StandardScaler and MinMaxScaler steps ending in one (the scalers are affine, so they are folded into the first layer's
weights and biases: the C++ program passes raw features). What maps to what:

  hidden activation 'relu' -> ReLU, 'tanh' -> Tanh, 'logistic' -> Sigmoid, 'identity' -> Linear;
  output, as scikit-learn applies it: a multiclass classifier -> Softmax (output k is predict_proba's column k, the
  probability of classes_[k]); a binary classifier -> one Sigmoid unit, the probability of classes_[1] (predict_proba's
  second column); a multilabel classifier -> one Sigmoid per label; a regressor -> Linear (predict).

The scalar type is the one of the model's coefs_ (float64: double) unless --dtype says otherwise.

Loading a pickle (joblib's files are pickles too) runs code that the file names: load only files you trust, as
scikit-learn's documentation warns. Models from an untrusted source are better converted from ONNX.

The same function is available to Python code: sklearn_to_ctnn(estimator) -> (topology text, parameters, notes).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # ctnn_io.py, beside this file

from ctnn_io import InteropError, check_outputs, import_main, write_outputs  # noqa: E402

HIDDEN = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "linear"}
OUTPUT = {"softmax": "softmax", "logistic": "sigmoid", "identity": "linear"}


def load_estimator(path):
    """The object in a joblib or pickle file. Unpickling runs code the file names: only for files you trust."""
    if not Path(path).is_file():
        raise InteropError(f"{path} does not exist")
    try:
        import joblib  # noqa: PLC0415 (scikit-learn depends on it; plain pickle does without)

        return joblib.load(path)
    except ImportError:
        import pickle  # noqa: PLC0415

        with open(path, "rb") as file:
            return pickle.load(file)
    except Exception as error:  # noqa: BLE001 (pickle's, joblib's and the unpickled classes' errors alike)
        raise InteropError(f"{path} is not a joblib or pickle file of a scikit-learn model ({type(error).__name__}: "
                           f"{' '.join(str(error).split())})") from None


def _affine(step):
    """(a, c) with step.transform(x) == a * x + c per feature for a fitted scaler, or None for another step."""
    import numpy as np  # noqa: PLC0415

    kind = type(step).__name__
    if step is None or step == "passthrough":
        return None
    if kind == "StandardScaler":
        scale = step.scale_ if step.scale_ is not None else 1.0
        mean = step.mean_ if step.mean_ is not None else 0.0
        return 1.0 / np.asarray(scale, dtype=np.float64), -np.asarray(mean, dtype=np.float64) / scale
    if kind == "MinMaxScaler":
        if getattr(step, "clip", False):
            raise InteropError("MinMaxScaler(clip=True) clips its outputs, which a dense layer cannot; use clip=False")
        return np.asarray(step.scale_, dtype=np.float64), np.asarray(step.min_, dtype=np.float64)
    raise InteropError(f"a Pipeline step {kind} is not supported: only StandardScaler and MinMaxScaler can go before "
                       "the MLP (they are folded into its first layer)")


def sklearn_to_ctnn(estimator, scalar: str | None = None) -> tuple[str, list, list]:
    """(topology text, parameters in ctnn's canonical order as float64 numpy arrays, notes on the outputs).

    `estimator` is a fitted MLPClassifier or MLPRegressor, or a Pipeline of scalers ending in one.
    """
    import numpy as np  # noqa: PLC0415

    scalers = []
    if type(estimator).__name__ == "Pipeline":
        steps = [step for _, step in estimator.steps]
        scalers = [a for a in (_affine(step) for step in steps[:-1]) if a is not None]
        estimator = steps[-1]
    kind = type(estimator).__name__
    if kind not in ("MLPClassifier", "MLPRegressor"):
        raise InteropError(f"a {kind} is not supported: ctnn converts scikit-learn's MLPClassifier and MLPRegressor "
                           "(alone or after StandardScaler / MinMaxScaler in a Pipeline)")
    if not hasattr(estimator, "coefs_"):
        raise InteropError(f"the {kind} is not fitted (it has no coefs_)")
    if estimator.activation not in HIDDEN:
        raise InteropError(f"{kind}(activation='{estimator.activation}') is not supported (ctnn maps "
                           f"{', '.join(HIDDEN)})")
    if estimator.out_activation_ not in OUTPUT:
        raise InteropError(f"{kind} with the output activation '{estimator.out_activation_}' is not supported")
    if scalar is None:
        scalar = "float" if estimator.coefs_[0].dtype == np.float32 else "double"

    # scikit-learn's layer is x @ coefs_[i] + intercepts_[i], coefs_[i] of shape [inputs, units]; ctnn's weight is
    # [units][inputs].
    weights = [np.asarray(c, dtype=np.float64).T for c in estimator.coefs_]
    biases = [np.asarray(b, dtype=np.float64).reshape(-1) for b in estimator.intercepts_]
    for a, c in reversed(scalers):  # W (a x + c) + b = (W a) x + (W c + b), the last scaler first
        a = np.broadcast_to(a, (weights[0].shape[1],))
        biases[0] = weights[0] @ np.broadcast_to(c, a.shape) + biases[0]
        weights[0] = weights[0] * a
    fields = [scalar, str(weights[0].shape[1])]
    for k, weight in enumerate(weights):
        last = k + 1 == len(weights)
        activation = OUTPUT[estimator.out_activation_] if last else HIDDEN[estimator.activation]
        if activation == "softmax" and weight.shape[0] == 1:
            raise InteropError("a softmax output of 1 unit")  # scikit-learn never makes one; a damaged model
        fields.append(f"{weight.shape[0]}:{activation}")
    values = [v for pair in zip(weights, biases) for v in (pair[0].reshape(-1), pair[1])]

    if kind == "MLPRegressor":
        notes = [f"Outputs: predict()'s {weights[-1].shape[0]} value(s) (MLPRegressor)."]
    elif estimator.out_activation_ == "softmax":
        notes = ["Outputs: predict_proba(), the probabilities of the classes " +
                 ", ".join(repr(c) for c in np.asarray(estimator.classes_).tolist()) + " (MLPClassifier)."]
    elif weights[-1].shape[0] == 1 and np.asarray(estimator.classes_).ndim == 1 and len(estimator.classes_) == 2:
        notes = [f"Output: the probability of class {np.asarray(estimator.classes_).tolist()[1]!r} (predict_proba's "
                 "second column; MLPClassifier, binary)."]
    else:
        notes = ["Outputs: the probability of each label (predict_proba; MLPClassifier, multilabel)."]
    if scalers:
        notes.append("The Pipeline's scaling is folded into the first layer: pass the raw features.")
    return ";".join(fields), values, notes


def _command(args) -> None:
    check_outputs(args.output, args.header)
    text, values, notes = sklearn_to_ctnn(load_estimator(args.model), args.dtype)
    write_outputs(text, values, args.output, args.header, args.namespace, "tools/sklearn_import.py", notes)
    for note in notes:
        print(note)


def main(argv=None) -> int:
    return import_main(__doc__, "sklearn_import.py",
                       "a joblib or pickle file of the fitted model (only from a source you trust)",
                       "the model's coefs_ type", _command, argv)


if __name__ == "__main__":
    sys.exit(main())
