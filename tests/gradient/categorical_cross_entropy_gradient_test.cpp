#include "gradient/gradient_matrix.hpp"

using namespace ctnn;

// Widths 1, 17, 9, 7.
TEMPLATE_TEST_CASE("Softmax output with categorical cross-entropy: gradients match finite differences",
                   "[gradient][cce]", CTNN_TEST_HIDDEN_ACTIVATIONS) {
    SECTION("float") {
        ctnn_test::require_correct_gradients<CategoricalCrossEntropy, Network<float, Input<1>, Dense<17, TestType>,
                                                                              Dense<9, TestType>, Dense<7, Softmax>>>(
            31);
    }
    SECTION("double") {
        ctnn_test::require_correct_gradients<CategoricalCrossEntropy, Network<double, Input<1>, Dense<17, TestType>,
                                                                              Dense<9, TestType>, Dense<7, Softmax>>>(
            32);
    }
}
