#include "gradient/gradient_matrix.hpp"

using namespace ctnn;

// Widths 7, 9, 17, 3: none a multiple of a SIMD width.
TEMPLATE_TEST_CASE("Linear output with mean squared error: gradients match finite differences", "[gradient][mse]",
                   CTNN_TEST_HIDDEN_ACTIVATIONS) {
    SECTION("float") {
        ctnn_test::require_correct_gradients<
            MeanSquaredError, Network<float, Input<7>, Dense<9, TestType>, Dense<17, TestType>, Dense<3, Linear>>>(11);
    }
    SECTION("double") {
        ctnn_test::require_correct_gradients<
            MeanSquaredError, Network<double, Input<7>, Dense<9, TestType>, Dense<17, TestType>, Dense<3, Linear>>>(12);
    }
}
