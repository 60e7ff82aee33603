#include "gradient/gradient_matrix.hpp"

using namespace ctnn;

// Widths 7, 9, 5: none a multiple of a SIMD width. The loss's gradient does not depend on the hidden activation, so a
// smooth one and a rectifier suffice here (the output pairing matrix runs every activation with MeanSquaredError).
TEMPLATE_TEST_CASE("Linear output with MSELoss: gradients match finite differences", "[gradient][mse_loss]", ctnn::Tanh,
                   ctnn::ReLU) {
    SECTION("float") {
        ctnn_test::require_correct_gradients<MSELoss, Network<float, Input<7>, Dense<9, TestType>, Dense<5, Linear>>>(
            41);
    }
    SECTION("double") {
        ctnn_test::require_correct_gradients<MSELoss, Network<double, Input<7>, Dense<9, TestType>, Dense<5, Linear>>>(
            42);
    }
}
