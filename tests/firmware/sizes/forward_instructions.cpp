// The measured firmware of tools/int8-instructions' forward-pass counts, one program per variant, chosen with macros:
//   FORWARD_KIND        0 the float network (large_float.hpp), 1 quantized with FloatRequantizer (large_q_float.hpp),
//                       2 quantized with FixedPointRequantizer (large_q_fixed.hpp): `forward` from float inputs;
//                       3 and 4 the networks of 1 and 2 from input quanta (`forward_from_quanta`)
//   FORWARD_ITERATIONS  how many forward passes main runs (the count is a volatile, so builds for different counts
//                       have the same code)

#if FORWARD_KIND == 0
#include "large_float.hpp"
namespace model = large_float;
#elif FORWARD_KIND == 1 || FORWARD_KIND == 3
#include "large_q_float.hpp"
namespace model = large_q_float;
#else
#include "large_q_fixed.hpp"
namespace model = large_q_fixed;
#endif

#include <array>
#include <cstddef>
#include <cstdint>

#ifndef FORWARD_ITERATIONS
#define FORWARD_ITERATIONS 0
#endif

namespace {

// One more than the count, so that it is never zero (a zero would move it from .data to .bss and the code's addresses).
volatile int iterations = FORWARD_ITERATIONS + 1;
model::Network::input_type x;
#if FORWARD_KIND >= 3
std::array<std::uint8_t, model::Network::input_size> quanta;
#endif
model::Network::output_type y;

[[gnu::noinline]] void run() {
#if FORWARD_KIND >= 3
    y = model::network.forward_from_quanta(quanta);
#else
    y = model::network.forward(x);
#endif
}

}  // namespace

int main() {
    // Pixel-like inputs in [0, 1].
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 256) / 255.0f;
#if FORWARD_KIND >= 3
    for (std::size_t i = 0; i < x.size(); ++i) quanta[i] = model::network.input_qparams().quantize(x[i]);
#endif
    for (int i = 1; i < iterations; ++i) run();
    return y[0] == 12345.0f ? 1 : 0;  // uses the outputs
}
