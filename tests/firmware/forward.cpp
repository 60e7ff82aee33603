// Firmware test: the forward pass of two networks trained on the host and exported as constexpr headers
// (tanh_net: 2-16-16-1 Tanh/Sigmoid; softmax_net: 8-16-16-4 ReLU/Softmax), against their exact outputs computed on
// the host. Each output must be within its rounding-error bound (reference.hpp; tests/firmware/host/generator.cpp
// derives it): a float forward pass in any summation order, fused or not, stays within it.

#include "reference.hpp"
#include "report.hpp"
#include "softmax_net.hpp"
#include "tanh_net.hpp"

#include <array>
#include <cstddef>
#include <cstdio>

namespace {

template <class Net, std::size_t Samples>
int check_forward(const char* name, const Net& net, const std::array<typename Net::input_type, Samples>& inputs,
                  const std::array<typename Net::output_type, Samples>& expected,
                  const std::array<typename Net::output_type, Samples>& bounds) {
    int failures = 0;
    float largest_error = 0, largest_share = 0;
    for (std::size_t s = 0; s < Samples; ++s) {
        typename Net::input_type x = inputs[s];
        firmware::opaque(x);
        const typename Net::output_type y = net.forward(x);
        for (std::size_t k = 0; k < Net::output_size; ++k) {
            const float error = y[k] > expected[s][k] ? y[k] - expected[s][k] : expected[s][k] - y[k];
            if (!(error <= bounds[s][k])) {
                std::printf("FAIL %s: sample %u, output %u: ", name, static_cast<unsigned>(s),
                            static_cast<unsigned>(k));
                firmware::print_number(y[k]);
                std::printf(", expected ");
                firmware::print_number(expected[s][k]);
                firmware::print_line(" within ", bounds[s][k]);
                ++failures;
            }
            if (error > largest_error) largest_error = error;
            if (error / bounds[s][k] > largest_share) largest_share = error / bounds[s][k];
        }
    }
    std::printf("%s: %u samples, largest error ", name, static_cast<unsigned>(Samples));
    firmware::print_number(largest_error);
    std::printf(", at most %d %% of its bound\n", static_cast<int>(largest_share * 100 + 0.5f));
    return failures;
}

}  // namespace

int main() {
    const int failures = check_forward("tanh_net", tanh_net::network, reference::tanh_net_inputs,
                                       reference::tanh_net_expected, reference::tanh_net_bounds) +
                         check_forward("softmax_net", softmax_net::network, reference::softmax_net_inputs,
                                       reference::softmax_net_expected, reference::softmax_net_bounds);
    std::printf("forward: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
