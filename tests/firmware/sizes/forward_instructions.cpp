// The measured firmware of tools/int8-instructions' forward-pass counts, one program per variant, chosen with macros:
//   FORWARD_KIND        0 the float network (large_float.hpp), 1 quantized with FloatRequantizer (large_q_float.hpp),
//                       2 quantized with FixedPointRequantizer (large_q_fixed.hpp)
//   FORWARD_ITERATIONS  how many forward passes main runs (the count is a volatile, so builds for different counts
//                       have the same code)

#if FORWARD_KIND == 0
#include "large_float.hpp"
namespace model = large_float;
#elif FORWARD_KIND == 1
#include "large_q_float.hpp"
namespace model = large_q_float;
#else
#include "large_q_fixed.hpp"
namespace model = large_q_fixed;
#endif

#include <cstddef>

#ifndef FORWARD_ITERATIONS
#define FORWARD_ITERATIONS 0
#endif

namespace {

// One more than the count, so that it is never zero (a zero would move it from .data to .bss and the code's addresses).
volatile int iterations = FORWARD_ITERATIONS + 1;
model::Network::input_type x;
model::Network::output_type y;

[[gnu::noinline]] void run() {
    y = model::network.forward(x);
}

}  // namespace

int main() {
    // Pixel-like inputs in [0, 1].
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 256) / 255.0f;
    for (int i = 1; i < iterations; ++i) run();
    return y[0] == 12345.0f ? 1 : 0;  // uses the outputs
}
