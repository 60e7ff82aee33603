#pragma once

/// @file
/// Requantization a register at a time: a row of int32 accumulators to uint8 quanta, bit for bit the quanta of the
/// requantizer's scalar `apply` (ctnn/quant/requantize.hpp) plus the zero point, clamped.
///
/// FloatRequantizer takes the same float steps in the lanes of the arch's float register: int32 to float (rounded to
/// nearest, as cvtsi2ss / cvtdq2ps and NEON's scvtf round), the product with the float multiplier, the clamp to +-256
/// (which comes between the product and the next addition, so no compiler contracts them into one FMA), the rounding
/// by 1.5 x 2^23, the zero point and the clamp to low .. 255, all exact on the integers they hold; then the integers
/// 0 .. 255 become bytes (x86: cvttps2dq and two saturating packs). FixedPointRequantizer stays a scalar loop: its
/// 64-bit products and two roundings need about 20 AVX2 instructions per 8 lanes (`_mm256_mul_epi32` gives only the
/// even lanes' products), as many as its scalar loop spends per lane on int64 arithmetic, and a calibrated network
/// spends far more in its products than in either.

#include "ctnn/quant/qparams.hpp"
#include "ctnn/quant/requantize.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace ctnn::detail {

/// Writes the lanes of `v`, integers 0 .. 255 held in float, as bytes to q[0 .. width-1].
template <class Arch>
inline void store_quanta(const simd::vector_t<float, Arch>& v, std::uint8_t* q) noexcept {
    constexpr std::size_t lanes = simd::width<float, Arch>;
#if CTNN_SIMD && XSIMD_WITH_AVX2
    if constexpr (lanes == 8) {
        const __m256i ints = _mm256_cvttps_epi32(v);
        // packs then packus keep each 128-bit half's four values in its low four bytes.
        const __m256i words = _mm256_packs_epi32(ints, ints);
        const __m256i bytes = _mm256_packus_epi16(words, words);
        const __m128i both = _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(q), both);
        return;
    }
#endif
#if CTNN_SIMD && XSIMD_WITH_SSE2
    if constexpr (lanes == 4) {
        const __m128i ints = _mm_cvttps_epi32(v);
        const __m128i words = _mm_packs_epi32(ints, ints);
        const auto word = static_cast<std::uint32_t>(_mm_cvtsi128_si32(_mm_packus_epi16(words, words)));
        std::memcpy(q, &word, sizeof word);
        return;
    }
#endif
    alignas(simd::alignment<float, Arch>) float values[lanes];
    simd::store(values, v);
    for (std::size_t k = 0; k < lanes; ++k) q[k] = static_cast<std::uint8_t>(values[k]);
}

/// How many of N accumulators requantize_values takes a register at a time: whole registers of FloatRequantizer's.
template <class Arch, class Requantizer, std::size_t N>
[[nodiscard]] constexpr std::size_t requantized_in_registers() noexcept {
#if CTNN_SIMD
    constexpr std::size_t lanes = simd::width<float, Arch>;
    if (std::is_same_v<Requantizer, FloatRequantizer> && lanes > 1) return N / lanes * lanes;
#endif
    return 0;
}

/// y[o] = clamp(Requantizer::apply(acc[o], multipliers[o]) + zero_point, low, 255) for o < N, with 0 <= low <= 255
/// (ReLU: low = zero_point) and 0 <= zero_point <= 255. FloatRequantizer a register of `Arch` at a time and the
/// rest one at a time; other requantizers one at a time. Bit for bit the same quanta on every path.
template <class Arch, class Requantizer, std::size_t N>
inline void requantize_values(const std::int32_t* acc, const typename Requantizer::multiplier_type* multipliers,
                              std::int32_t zero_point, std::int32_t low, std::uint8_t* y) noexcept {
    constexpr std::size_t whole = requantized_in_registers<Arch, Requantizer, N>();
#if CTNN_SIMD
    if constexpr (whole > 0) {
        constexpr std::size_t lanes = simd::width<float, Arch>;
        using V = simd::vector_t<float, Arch>;
        using I = simd::vector_t<std::int32_t, Arch>;
        const V bottom(-256.0f), top(256.0f), shift(12582912.0f), zero(static_cast<float>(zero_point)),
            lowest(static_cast<float>(low)), highest(255.0f);
        for (std::size_t o = 0; o < whole; o += lanes) {
            const V sum = xsimd::batch_cast<float>(simd::load_unaligned<I>(acc + o));
            V v = sum * simd::load_unaligned<V>(multipliers + o);
            v = simd::select(v > bottom, simd::select(v > top, top, v), bottom);  // clamp_or_low
            v = V(v + shift) - shift;                                             // round_half_even
            v = v + zero;
            v = simd::select(v > highest, highest, simd::select(v < lowest, lowest, v));
            store_quanta<Arch>(v, y + o);
        }
    }
#endif
    for (std::size_t o = whole; o < N; ++o) {
        const std::int32_t r = Requantizer::apply(acc[o], multipliers[o]) + zero_point;
        y[o] = static_cast<std::uint8_t>(std::clamp(r, low, std::int32_t{255}));
    }
}

}  // namespace ctnn::detail
