// The measured firmware of tools/int8-instructions, one program per variant, chosen with macros:
//   INT8_KERNEL      0 ctnn::simd::int8_matvec for the scalar arch tag (the DSP extension's kernel where the core has
//                    it, the Armv7-M kernel on the Cortex-M3), 1 int8_matvec_portable
//   INT8_OUT, INT8_IN  the layer's shape (rows of INT8_IN rounded up to 4 bytes)
//   INT8_ITERATIONS  how many products main computes (the count is a volatile, so builds for different counts have
//                    the same code)

#include "ctnn/simd/int8_kernels.hpp"

#include <cstddef>
#include <cstdint>

#ifndef INT8_ITERATIONS
#define INT8_ITERATIONS 0
#endif

namespace {

constexpr std::size_t out = INT8_OUT, in = INT8_IN, stride = (in + 3) / 4 * 4;
// One more than the count, so that it is never zero (a zero would move it from .data to .bss and the code's addresses).
volatile int iterations = INT8_ITERATIONS + 1;
std::uint8_t x[in];
std::int8_t w[out * stride];
std::int32_t acc[out];

[[gnu::noinline]] void run() {
#if INT8_KERNEL == 0
    ctnn::simd::int8_matvec<ctnn::simd::scalar_arch, out, in, stride>(x, w, acc);
#else
    ctnn::simd::int8_matvec_portable<out, in, stride>(x, w, acc);
#endif
}

}  // namespace

int main() {
    for (std::size_t i = 0; i < in; ++i) x[i] = static_cast<std::uint8_t>(i * 7);
    for (std::size_t k = 0; k < out * stride; ++k) w[k] = static_cast<std::int8_t>(k * 13);
    for (int i = 1; i < iterations; ++i) run();
    return acc[0] == 12345 ? 1 : 0;  // uses the sums
}
