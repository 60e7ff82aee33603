// Handwritten digits (1797 8x8 images, 10 classes): a 64-32-10 network with a ReLU hidden
// layer and a softmax output, trained with Adam. Exits non-zero below 95 % test accuracy.
#include "support/classify.hpp"

#include <cstdio>

int main() {
    using Net = ctnn::Network<float, ctnn::Input<64>, ctnn::Dense<32, ctnn::ReLU>, ctnn::Dense<10, ctnn::Softmax>>;
    const auto outcome = examples::classify<Net>("digits.csv", 40, 32, 0.002, 1);
    if (!outcome) return 2;
    std::printf("digits: 64-32-10, test accuracy %.1f %% (needs 95), trained in %.2f s\n", 100 * outcome->test_accuracy,
                outcome->seconds);
    return outcome->test_accuracy >= 0.95 ? 0 : 1;
}
