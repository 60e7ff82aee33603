// Firmware test: initialisation on the device. Four initialisers, one after another from ctnn::Random(init_seed), on
// a 2-16-16-1 float network, against the parameters the host computed from the same seed (reference.hpp). The
// generator's draws are 32-bit integer arithmetic, the same bits everywhere; the normal samples then go through
// logf, sqrtf, sinf and cosf, which newlib and the host's libm may round differently in the last bit or two. A
// parameter is at most about 6 times its layer's standard deviation (at most 1), so 1e-5 is over ten times that
// rounding, and far below what a wrong draw order, distribution or scale would change (of the order of the
// parameter itself).

#include <ctnn/ctnn.hpp>

#include "reference.hpp"
#include "report.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

namespace {

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                          ctnn::Dense<1, ctnn::Sigmoid>>;
constexpr float tolerance = 1e-5f;

int compare(const char* name, const Net& net, const std::array<float, Net::parameter_count>& expected) {
    std::array<float, Net::parameter_count> parameters;
    net.read_parameters(parameters);
    int failures = 0;
    float largest_error = 0;
    for (std::size_t k = 0; k < parameters.size(); ++k) {
        const float error = parameters[k] > expected[k] ? parameters[k] - expected[k] : expected[k] - parameters[k];
        if (!(error <= tolerance)) {
            std::printf("FAIL init %s: parameter %u: ", name, static_cast<unsigned>(k));
            firmware::print_number(parameters[k]);
            firmware::print_line(", expected ", expected[k]);
            ++failures;
        }
        if (error > largest_error) largest_error = error;
    }
    std::printf("init %s: largest difference from the host ", name);
    firmware::print_line("", largest_error);
    return failures;
}

}  // namespace

int main() {
    static Net net;
    unsigned seed = reference::init_seed;
    firmware::opaque(seed);
    ctnn::Random random(seed);
    int failures = 0;
    ctnn::init::normal_inverse_fan_in(net, random);
    failures += compare("normal_inverse_fan_in", net, reference::init_normal_inverse_fan_in);
    ctnn::init::xavier_normal(net, random);
    failures += compare("xavier_normal", net, reference::init_xavier_normal);
    ctnn::init::he_uniform(net, random);
    failures += compare("he_uniform", net, reference::init_he_uniform);
    ctnn::init::pytorch_default(net, random);
    failures += compare("pytorch_default", net, reference::init_pytorch_default);
    std::printf("init: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
