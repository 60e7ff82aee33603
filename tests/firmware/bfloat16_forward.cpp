// Firmware test: the network of firmware.forward's tanh_net (2-16-16-1 Tanh/Sigmoid) with its weights rounded to
// bfloat16 on the host (ctnn::BFloat16Network) and exported as a constexpr header. On the device:
// - it lies in flash (read-only data), in 2 bytes per weight and 4 per bias: sizeof is 2 x 304 + 4 x 33 = 740 bytes
//   (the scalar path pads nothing);
// - each output is within its rounding-error bound of the exact output of the widened float network (reference.hpp,
//   computed on the host in long double; the bound covers any summation order, fused or not);
// - each output is, bit for bit, that of the float network of the widened weights (to_float()) on the same device:
//   the bfloat16 weights are widened exactly and go through the float network's kernels.

#include "reference.hpp"
#include "report.hpp"
#include "tanh_bf16.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace {

// link.ld: flash at 0x00000000, RAM from 0x20000000.
constexpr std::uintptr_t ram_start = 0x20000000u;

using Net16 = tanh_bf16::Network;
// Counted by hand: 2 x 16 + 16 x 16 + 16 x 1 weights, 16 + 16 + 1 biases.
static_assert(Net16::weight_count == 304 && Net16::float_parameter_count == 33);
static_assert(sizeof(Net16) == 2 * 304 + 4 * 33);

}  // namespace

int main() {
    int failures = 0;
    const Net16& net = tanh_bf16::network;
    if (reinterpret_cast<std::uintptr_t>(&net) >= ram_start) {
        std::printf("FAIL tanh_bf16: the network is in RAM, not in flash\n");
        ++failures;
    }
    const tanh_bf16::FloatNetwork widened = net.to_float();
    float largest_share = 0;
    for (std::size_t s = 0; s < reference::tanh_bf16_inputs.size(); ++s) {
        Net16::input_type x = reference::tanh_bf16_inputs[s];
        firmware::opaque(x);
        const Net16::output_type y = net.forward(x);
        const Net16::output_type y_float = widened.forward(x);
        const float expected = reference::tanh_bf16_expected[s][0], bound = reference::tanh_bf16_bounds[s][0];
        const float error = y[0] > expected ? y[0] - expected : expected - y[0];
        if (!(error <= bound)) {
            std::printf("FAIL tanh_bf16: sample %u: ", static_cast<unsigned>(s));
            firmware::print_number(y[0]);
            std::printf(", expected ");
            firmware::print_number(expected);
            firmware::print_line(" within ", bound);
            ++failures;
        }
        if (std::memcmp(y.data(), y_float.data(), sizeof y) != 0) {
            std::printf("FAIL tanh_bf16: sample %u: ", static_cast<unsigned>(s));
            firmware::print_number(y[0]);
            firmware::print_line(", its float network's ", y_float[0]);
            ++failures;
        }
        if (error / bound > largest_share) largest_share = error / bound;
    }
    std::printf("tanh_bf16: %u samples, %u bytes of parameters at 0x%08lx, at most %d %% of the bound, %s\n",
                static_cast<unsigned>(reference::tanh_bf16_inputs.size()), static_cast<unsigned>(sizeof(Net16)),
                static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(&net)),
                static_cast<int>(largest_share * 100 + 0.5f),
                failures == 0 ? "the float network's outputs bit for bit" : "DIFFERENT");
    std::printf("bfloat16_forward: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
