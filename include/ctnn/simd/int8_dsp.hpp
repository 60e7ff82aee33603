#pragma once

/// @file
/// The Cortex-M DSP extension's kernel steps for simd/int8_kernels.hpp (uint8 activations times
/// int8 weights into int32; the policy interface is described in simd/int8_x86.hpp), where
/// `__ARM_FEATURE_SIMD32` is defined (Cortex-M4, M7, M33 with DSP; Armv6 and Armv7-A): 4 inputs
/// a step, read as one 32-bit word each. `uxtb16` / `sxtb16` extend bytes 0 and 2 of a word to
/// two 16-bit halves (activations unsigned, weights signed), and with the word rotated by 8
/// bytes 1 and 3; `smlad` adds both 16 x 16-bit products of two such halves to an int32, so a
/// word of 4 products takes 2 `smlad` and 2 extensions (ACLE intrinsics of <arm_acle.h>, and
/// inline assembly for the rotated extensions; the compilers do not form `smlad` from plain C). Exact: each product is
/// at most 255 * 128.

#include "ctnn/simd/arch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
#define CTNN_INT8_DSP 1
#include <arm_acle.h>
#else
#define CTNN_INT8_DSP 0
#endif

namespace ctnn::simd::detail {

#if CTNN_INT8_DSP
struct int8_dsp {
    /// Bytes 0 and 2 (`even`) and 1 and 3 (`odd`) of a word, each as two 16-bit halves.
    struct halves {
        std::int32_t even, odd;
    };
    // 4 sums, the activations' two halves, a weight word's two halves and three pointers and counters: 11 of the 13
    // general registers. The batch tile: 2 x 2 sums and two samples' halves.
    static constexpr std::size_t chunk = 4, rows = 4, tile_samples = 2, tile_rows = 2;
    using x_type = halves;
    using acc_type = std::int32_t;

    [[nodiscard]] static std::uint32_t word(const void* p) noexcept {
        std::uint32_t v;
        std::memcpy(&v, p, sizeof v);  // one ldr: Armv7-M loads unaligned words
        return v;
    }
    // uxtb16 / sxtb16 of the word rotated right by 8: one instruction with the rotation as its operand (ACLE has no
    // intrinsic for it, and the compilers do not fold a rotation into __uxtb16 / __sxtb16).
    [[nodiscard]] static std::int32_t uxtb16_ror8(std::uint32_t v) noexcept {
        std::int32_t r;
        __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
        return r;
    }
    [[nodiscard]] static std::int32_t sxtb16_ror8(std::uint32_t v) noexcept {
        std::int32_t r;
        __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
        return r;
    }

    [[nodiscard]] static halves load_x(const std::uint8_t* p) noexcept {
        const std::uint32_t v = word(p);
        return {static_cast<std::int32_t>(__uxtb16(v)), uxtb16_ror8(v)};
    }
    template <std::size_t Bytes>
    [[nodiscard]] static halves load_w(const std::int8_t* p) noexcept {
        static_assert(Bytes == 4);
        const std::uint32_t v = word(p);
        return {__sxtb16(static_cast<std::int32_t>(v)), sxtb16_ror8(v)};
    }
    [[nodiscard]] static std::int32_t mac(std::int32_t acc, halves x, halves w) noexcept {
        return __smlad(x.odd, w.odd, __smlad(x.even, w.even, acc));
    }
    [[nodiscard]] static std::int32_t sum(std::int32_t v) noexcept { return v; }
};
#endif

}  // namespace ctnn::simd::detail
