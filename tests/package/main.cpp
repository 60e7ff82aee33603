// Compiled against an installed ctnn by .ci/run: the installed headers and ctnn::ctnn must be enough.
#include <ctnn/ctnn.hpp>
#include <ctnn/version.hpp>

#include <cmath>
#include <cstdio>

int main() {
    using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
    Net net;
    auto y = net.forward({0.5f, -0.5f});
    // A default-constructed network has all parameters zero, so the output is sigmoid(0) = 0.5 exactly.
    std::printf("ctnn %d.%d.%d: forward({0.5, -0.5})[0] = %.9g\n", int{CTNN_VERSION_MAJOR}, int{CTNN_VERSION_MINOR},
                int{CTNN_VERSION_PATCH}, double(y[0]));
    return (std::isfinite(y[0]) && y[0] == 0.5f) ? 0 : 1;
}
