// ctnn::round_to_float16 on every float (all 2^32 patterns: numbers, subnormals, infinities, NaNs) and
// ctnn::float16_to_float on every binary16 pattern, bit for bit against the x86 F16C instructions VCVTPS2PH (imm8 0:
// round to nearest, ties to even; NaNs quiet with the upper payload bits) and VCVTPH2PS. The program is compiled for
// the baseline; only the comparison is compiled for F16C, and runs once CPUID says the CPU has it (else exit 77,
// skipped). Prints the first differences and their count; exit 0 when there are none.

#include "ctnn/float16.hpp"

#include <cpuid.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <immintrin.h>

namespace {

/// CPUID leaf 1: F16C, and AVX with the OS saving its registers (OSXSAVE), which VEX-encoded F16C needs.
bool cpu_has_f16c() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
    return (c & bit_F16C) != 0 && (c & bit_AVX) != 0 && (c & bit_OSXSAVE) != 0 && __builtin_cpu_supports("avx");
}

std::uint64_t differences = 0;

void report(const char* what, std::uint32_t input, std::uint32_t got, std::uint32_t want) {
    if (differences++ < 10) {
        std::printf("%s 0x%08x: got 0x%08x, VCVT gives 0x%08x\n", what, static_cast<unsigned>(input),
                    static_cast<unsigned>(got), static_cast<unsigned>(want));
    }
}

__attribute__((target("avx,f16c"))) void compare_all() {
    for (std::uint64_t start = 0; start < (std::uint64_t{1} << 32); start += 8) {
        alignas(32) std::uint32_t bits[8];
        for (std::uint32_t k = 0; k < 8; ++k) bits[k] = static_cast<std::uint32_t>(start + k);
        alignas(32) float values[8];
        std::memcpy(values, bits, sizeof values);
        alignas(16) std::uint16_t want[8];
        _mm_store_si128(reinterpret_cast<__m128i*>(want), _mm256_cvtps_ph(_mm256_load_ps(values), 0));
        for (std::uint32_t k = 0; k < 8; ++k) {
            const std::uint16_t got = ctnn::round_to_float16(values[k]);
            if (got != want[k]) report("round_to_float16", bits[k], got, want[k]);
        }
    }
    for (std::uint32_t half = 0; half < 65536; ++half) {
        const float want = _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(static_cast<int>(half))));
        const float got = ctnn::float16_to_float(static_cast<std::uint16_t>(half));
        std::uint32_t got_bits = 0, want_bits = 0;
        std::memcpy(&got_bits, &got, sizeof got);
        std::memcpy(&want_bits, &want, sizeof want);
        if (got_bits != want_bits) report("float16_to_float", half, got_bits, want_bits);
    }
}

}  // namespace

int main() {
    if (!cpu_has_f16c()) {
        std::printf("SKIPPED: this CPU has no F16C\n");
        return 77;
    }
    compare_all();
    std::printf("%llu differences in 2^32 floats and 65536 binary16 patterns\n",
                static_cast<unsigned long long>(differences));
    return differences == 0 ? 0 : 1;
}
