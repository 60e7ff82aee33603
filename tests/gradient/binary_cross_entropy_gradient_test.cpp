#include "gradient/gradient_matrix.hpp"

using namespace ctnn;

// Widths 3, 33, 1.
TEMPLATE_TEST_CASE("Sigmoid output with binary cross-entropy: gradients match finite differences", "[gradient][bce]",
                   CTNN_TEST_HIDDEN_ACTIVATIONS) {
    SECTION("float") {
        ctnn_test::require_correct_gradients<BinaryCrossEntropy,
                                             Network<float, Input<3>, Dense<33, TestType>, Dense<1, Sigmoid>>>(21);
    }
    SECTION("double") {
        ctnn_test::require_correct_gradients<BinaryCrossEntropy,
                                             Network<double, Input<3>, Dense<33, TestType>, Dense<1, Sigmoid>>>(22);
    }
}
