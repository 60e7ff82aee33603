#!/usr/bin/env python3
"""scikit-learn -> ctnn test (registered by tests/interop/CMakeLists.txt when sklearn is importable).

  sklearn_test.py --runner RUN_NETWORK --tool tools/sklearn_import.py

MLPClassifier (binary, multiclass, multilabel) and MLPRegressor are fitted on scikit-learn's bundled data sets (iris,
breast cancer, wine, diabetes), with each hidden activation (relu, tanh, logistic, identity), alone or after a
StandardScaler or MinMaxScaler in a Pipeline; the tool converts each saved model (joblib), and run_network's outputs
must agree with predict_proba / predict. Double networks: rtol 1e-9 (folding a scaler into the first layer rounds
differently from scaling first); the float one against scikit-learn's double: rtol 1e-4, atol 1e-5. Models the tool
does not convert are refused in one line.
"""

import warnings

import joblib
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

import interop_support
from interop_support import TestCase, ctnn_forward

tool = None  # tools/sklearn_import.py, loaded in main()

DOUBLE = dict(rtol=1e-9, atol=1e-12)
FLOAT = dict(rtol=1e-4, atol=1e-5)


def fitted(model, x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a few hundred iterations are enough for a test
        return model.fit(x, y)


class SklearnImport(TestCase):
    def convert(self, model, *options, in_process=True):
        """Saves `model` with joblib and converts it with the tool; returns (weights path, printed text)."""
        saved, weights = self.dir / "model.joblib", self.dir / "model.ctnn"
        joblib.dump(model, saved)
        return weights, self.assert_converts(saved, "-o", weights, *options, in_process=in_process)

    def test_multiclass_classifier_agrees_with_predict_proba(self):
        x, y = load_iris(return_X_y=True)
        model = fitted(make_pipeline(MinMaxScaler(), MLPClassifier((10,), activation="relu", max_iter=300,
                                                                   learning_rate_init=0.01, random_state=0)), x, y)
        weights, printed = self.convert(model)
        self.assertIn("double;4;10:relu;3:softmax", printed)
        self.assertIn("the probabilities of the classes 0, 1, 2", printed)
        probabilities = ctnn_forward("iris_relu_softmax", weights, x)
        self.assert_agree(probabilities, model.predict_proba(x), "double", **DOUBLE)
        self.assertGreater(np.mean(probabilities.argmax(axis=1) == y), 0.9)  # a trained model, not noise

    def test_binary_classifier_agrees_with_predict_proba(self):
        x, y = load_breast_cancer(return_X_y=True)
        model = fitted(make_pipeline(StandardScaler(), MLPClassifier((8,), activation="tanh", max_iter=200,
                                                                     random_state=0)), x, y)
        weights, printed = self.convert(model, in_process=False)  # once through the command line itself
        self.assertIn("double;30;8:tanh;1:sigmoid", printed)
        self.assertIn("the probability of class 1", printed)
        probability = ctnn_forward("cancer_tanh_sigmoid", weights, x)[:, 0]
        self.assert_agree(probability, model.predict_proba(x)[:, 1], "double", **DOUBLE)
        np.testing.assert_array_equal(model.classes_[(probability > 0.5).astype(int)], model.predict(x))

    def test_multilabel_classifier_agrees_with_predict_proba(self):
        x, _ = load_iris(return_X_y=True)
        labels = np.column_stack([x[:, 2] > 4.0, x[:, 3] > 1.0]).astype(int)  # two labels per flower
        model = fitted(MLPClassifier((6,), activation="relu", max_iter=300, random_state=0), x, labels)
        weights, printed = self.convert(model)
        self.assertIn("double;4;6:relu;2:sigmoid", printed)
        self.assertIn("multilabel", printed)
        self.assert_agree(ctnn_forward("multilabel_relu_sigmoid", weights, x), model.predict_proba(x), "double",
                          **DOUBLE)

    def test_regressor_agrees_with_predict(self):
        x, y = load_diabetes(return_X_y=True)
        model = fitted(MLPRegressor((8, 6), activation="logistic", max_iter=300, random_state=0), x, y)
        weights, printed = self.convert(model)
        self.assertIn("double;10;8:sigmoid;6:sigmoid;1:linear", printed)
        self.assert_agree(ctnn_forward("diabetes_sigmoid_linear", weights, x)[:, 0], model.predict(x), "double",
                          **DOUBLE)

    def test_float_network_of_identity_layers_agrees_within_float_rounding(self):
        x, y = load_wine(return_X_y=True)
        model = fitted(make_pipeline(StandardScaler(), MLPClassifier((5,), activation="identity", max_iter=300,
                                                                     random_state=0)), x, y)
        weights, printed = self.convert(model, "--dtype", "float")
        self.assertIn("float;13;5:linear;3:softmax", printed)
        self.assert_agree(ctnn_forward("wine_linear_softmax", weights, x), model.predict_proba(x), "float", **FLOAT)

    def test_models_it_does_not_convert_are_refused_in_one_line(self):
        x, y = load_iris(return_X_y=True)
        cases = [
            (MLPClassifier((4,)), "the MLPClassifier is not fitted"),
            (fitted(LogisticRegression(max_iter=500), x, y), "a LogisticRegression is not supported"),
            (fitted(make_pipeline(PCA(2), MLPClassifier((4,), max_iter=50)), x, y),
             "a Pipeline step PCA is not supported"),
            (fitted(make_pipeline(MinMaxScaler(clip=True), MLPClassifier((4,), max_iter=50)), x, y),
             "MinMaxScaler(clip=True)"),
            ({"not": "a model"}, "a dict is not supported"),
        ]
        for model, message in cases:
            with self.subTest(message=message):
                saved = self.dir / "model.joblib"
                joblib.dump(model, saved)
                self.assert_refused(message, saved, "-o", self.dir / "out.ctnn", in_process=True)
        (self.dir / "text.joblib").write_text("not a pickle\n")
        self.assert_refused("is not a joblib or pickle file", self.dir / "text.joblib", "-o", self.dir / "out.ctnn",
                            in_process=True)
        self.assert_refused("absent.joblib does not exist", self.dir / "absent.joblib", "-o", self.dir / "out.ctnn",
                            in_process=True)
        self.assert_refused("nothing to write", self.dir / "text.joblib", in_process=True)


def main():
    def loaded(module):
        global tool
        tool = module

    interop_support.main(__doc__, "sklearn_import", loaded)


if __name__ == "__main__":
    main()
