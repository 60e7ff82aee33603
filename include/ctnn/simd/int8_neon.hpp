#pragma once

/// @file
/// The AArch64 NEON kernels' steps for simd/int8_kernels.hpp (uint8 activations times int8
/// weights into int32; the policy interface is described in simd/int8_x86.hpp): 8 inputs a step,
/// both operands widened to int16 (`uxtl`, `sxtl`) and multiplied into int32 lanes with widening
/// multiply-accumulates (`smlal`, `smlal2`), exact. The dot product instructions (`udot`, `sdot`)
/// take two unsigned or two signed operands; the mixed one (`usdot`) needs Armv8.6's i8mm.

#include "ctnn/simd/arch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#if CTNN_SIMD && XSIMD_WITH_NEON64
#define CTNN_INT8_NEON 1
#else
#define CTNN_INT8_NEON 0
#endif

namespace ctnn::simd::detail {

#if CTNN_INT8_NEON
struct int8_neon {
    // 16 sums, 4 samples' activations and a weight register: 21 of the 32 registers.
    static constexpr std::size_t chunk = 8, rows = 8, tile_samples = 4, tile_rows = 4;
    using x_type = int16x8_t;
    using acc_type = int32x4_t;

    [[nodiscard]] static int16x8_t load_x(const std::uint8_t* p) noexcept {
        return vreinterpretq_s16_u16(vmovl_u8(vld1_u8(p)));
    }
    template <std::size_t Bytes>
    [[nodiscard]] static int16x8_t load_w(const std::int8_t* p) noexcept {
        static_assert(Bytes == 4 || Bytes == 8);
        if constexpr (Bytes == 8) {
            return vmovl_s8(vld1_s8(p));
        } else {
            std::int32_t word;
            std::memcpy(&word, p, sizeof word);
            return vmovl_s8(vreinterpret_s8_s32(vset_lane_s32(word, vdup_n_s32(0), 0)));
        }
    }
    [[nodiscard]] static int32x4_t mac(int32x4_t acc, int16x8_t x, int16x8_t w) noexcept {
        return vmlal_high_s16(vmlal_s16(acc, vget_low_s16(x), vget_low_s16(w)), x, w);
    }
    [[nodiscard]] static std::int32_t sum(int32x4_t v) noexcept { return vaddvq_s32(v); }
};
#endif

}  // namespace ctnn::simd::detail
