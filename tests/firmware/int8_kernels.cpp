// Firmware test: the int8 matrix-vector kernels (ctnn/simd/int8_kernels.hpp) on the device, for the scalar arch tag,
// which is the DSP extension's kernel (smlad) where the core has it (Cortex-M4, M7) and the Armv7-M kernel without it
// (Cortex-M3: word loads, bytes extracted with ubfx / sbfx, mla): the shared checks of
// tests/support/int8_kernel_checks.hpp (every shape of its list, random values, 255 x 127 and 255 x -128, values from
// the edges of both ranges, 1 to 5 samples: two tiles of the DSP kernel's 2 and one more, operands at varying
// alignments), against sums computed on the device in int64, and the portable loop against the same sums.

#include "report.hpp"
#include "support/int8_kernel_checks.hpp"

#include <cstdio>

int main() {
    using Arch = ctnn::simd::scalar_arch;
    const int8_checks::options options{.max_samples = 5, .slacks = {0, 3, 0}, .slack_count = 2, .interleaved = false};
    int8_checks::result r;
    for (const auto fill : {int8_checks::Fill::random, int8_checks::Fill::max_times_max,
                            int8_checks::Fill::max_times_min, int8_checks::Fill::edges})
        int8_checks::check_shapes<Arch>(fill, options, r);
#if CTNN_INT8_DSP
    const char* const kernel = "DSP extension kernel";
#elif CTNN_INT8_ARMV7M
    const char* const kernel = "Armv7-M kernel";
#else
    const char* const kernel = "portable loop";
#endif
    std::printf("int8_kernels (%s): %lu sums, %lu differ\n", kernel, static_cast<unsigned long>(r.checked),
                static_cast<unsigned long>(r.failed));
    if (r.failed != 0) {
        const int8_checks::failure& f = r.first;
        std::printf("FAIL int8_kernels: first: %s %lux%lu stride %lu slack %lu, %lu samples, sum %lu: %ld, want %ld\n",
                    f.kernel, static_cast<unsigned long>(f.out), static_cast<unsigned long>(f.in),
                    static_cast<unsigned long>(f.stride), static_cast<unsigned long>(f.slack),
                    static_cast<unsigned long>(f.samples), static_cast<unsigned long>(f.index),
                    static_cast<long>(f.got), static_cast<long>(f.want));
    }
#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
    // The DSP kernel must be the one tested where the core has the extension.
    if (!ctnn::simd::has_int8_kernel<Arch>) {
        std::printf("FAIL int8_kernels: the core has the DSP extension, but its kernel is not used\n");
        return 1;
    }
#endif
#if defined(__ARM_ARCH_7M__)
    // The Armv7-M kernel must be the one tested on the Cortex-M3.
    if (!CTNN_INT8_ARMV7M || !ctnn::simd::has_int8_kernel<Arch>) {
        std::printf("FAIL int8_kernels: the core is Armv7-M, but its kernel is not used\n");
        return 1;
    }
#endif
    return r.checked > 0 && r.failed == 0 ? 0 : 1;
}
