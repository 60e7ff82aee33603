#pragma once

/// @file
/// Requantization a register at a time: a row of int32 accumulators to uint8 quanta, bit for bit the quanta of the
/// requantizer's scalar `apply` (ctnn/quant/requantize.hpp) plus the zero point, clamped.
///
/// FloatRequantizer takes the same float steps in the lanes of the arch's float register: int32 to float (rounded to
/// nearest, as cvtsi2ss / cvtdq2ps and NEON's scvtf round), the product with the float multiplier, the clamp to +-256
/// (which comes between the product and the next addition, so no compiler contracts them into one FMA), the rounding
/// by 1.5 x 2^23, the zero point and the clamp to low .. 255, all exact on the integers they hold; then the integers
/// 0 .. 255 become bytes (x86: cvttps2dq and two saturating packs; AVX-512: vpmovdb). On AVX2, and on AVX-512 (whose
/// CPUs all have AVX2: has_avx2_integers), 32 values at a time take a shorter
/// way to the same quanta (store_rounded_quanta_32: cvtps2dq rounds, the packs saturate); the input's quantization
/// (quantize_values, the steps of QuantizationParams::quantize) takes both ways too. FixedPointRequantizer's steps run
/// on AVX2 (and AVX-512) in 64-bit lanes, four at a time (`_mm256_mul_epi32` multiplies the low int32 halves into
/// int64; variable shifts per lane, since every unit has its own shift); elsewhere (SSE2, NEON, Cortex-M) one at a
/// time: SSE2 has neither the signed 32 x 32 -> 64 multiply nor per-lane shifts. On Thumb-2 cores without a
/// floating-point unit (Cortex-M3), FloatRequantizer's product and roundings and the input's quantization are taken in
/// integers (quant/integer_quantize.hpp), bit for bit.

#include "ctnn/quant/integer_quantize.hpp"
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

#if CTNN_SIMD && XSIMD_WITH_AVX2
/// True when `Arch`'s registers come with AVX2's 256-bit integer instructions: the AVX2 tag and the AVX-512 ones (every
/// AVX-512 CPU has AVX2, and -mavx512f implies -mavx2; xsimd 8.1's AVX-512 tags do not derive from its AVX2 tag).
template <class Arch>
inline constexpr bool has_avx2_integers =
    std::is_base_of_v<xsimd::avx2, Arch> || std::is_base_of_v<xsimd::avx512f, Arch>;
#else
template <class Arch>
inline constexpr bool has_avx2_integers = false;
#endif

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
#if CTNN_SIMD && XSIMD_WITH_AVX512F
    if constexpr (lanes == 16) {
        // vpmovdb: each int32 lane's low byte.
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q), _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(v)));
        return;
    }
#endif
    alignas(simd::alignment<float, Arch>) float values[lanes];
    simd::store(values, v);
    for (std::size_t k = 0; k < lanes; ++k) q[k] = static_cast<std::uint8_t>(values[k]);
}

#if CTNN_SIMD && XSIMD_WITH_AVX2
/// The quanta of 32 values held in four float registers (a, b, c, d: values 0-7, 8-15, 16-23, 24-31), each within
/// +-256 (clamped before): rounded to integers, ties to even (cvtps2dq in the default rounding mode: the rounding by
/// 1.5 x 2^23 of the other paths gives the same integers on this range), plus `zero_point` in 16 bits, saturated to
/// 0 .. 255 (packus), raised to at least `low` and stored to q[0 .. 31]. 13 instructions for what store_quanta and
/// the float steps before it take 70.
inline void store_rounded_quanta_32(__m256 a, __m256 b, __m256 c, __m256 d, __m256i zero_point, __m256i low,
                                    std::uint8_t* q) noexcept {
    // packs and packus work within each 128-bit half: their result holds the groups of four a0 b0 c0 d0 a1 b1 c1 d1
    // (a0: a's lanes 0-3, a1: its lanes 4-7), which the permutation puts in order.
    const __m256i ab = _mm256_add_epi16(_mm256_packs_epi32(_mm256_cvtps_epi32(a), _mm256_cvtps_epi32(b)), zero_point);
    const __m256i cd = _mm256_add_epi16(_mm256_packs_epi32(_mm256_cvtps_epi32(c), _mm256_cvtps_epi32(d)), zero_point);
    const __m256i bytes = _mm256_max_epu8(_mm256_packus_epi16(ab, cd), low);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q),
                        _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
}

/// v clamped to +-256 with NaN sent low, as detail::clamp_or_low: maxps gives its second operand when the first is
/// NaN.
[[nodiscard]] inline __m256 clamp_256_or_low(__m256 v) noexcept {
    return _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-256.0f)), _mm256_set1_ps(256.0f));
}
#endif

/// q[k] = qparams.quantize(x[k]) for k < N, bit for bit: on AVX2 32 values at a time (store_rounded_quanta_32), then
/// a register of `Arch` at a time with the same steps in float as quantize (the product with the float inverse; the
/// clamp to +-256 that sends NaN low; the rounding by 1.5 x 2^23; the zero point; the clamp to 0 .. 255), and the
/// values past the last whole register one at a time (on Thumb-2 cores without a floating-point unit, in integers:
/// quant/integer_quantize.hpp).
template <class Arch, std::size_t N>
void quantize_values(const QuantizationParams& qparams, const float* x, std::uint8_t* q) noexcept {
    const float inverse_scale = 1.0f / qparams.scale;
    constexpr std::size_t lanes = simd::width<float, Arch>;
    // Compile-time bounds for each path (with a running index, GCC 12 warns of the last loop's overflow).
#if CTNN_SIMD && XSIMD_WITH_AVX2
    constexpr std::size_t in_32s = has_avx2_integers<Arch> ? N / 32 * 32 : 0;
#else
    constexpr std::size_t in_32s = 0;
#endif
    constexpr std::size_t whole = lanes > 1 ? in_32s + (N - in_32s) / lanes * lanes : 0;
#if CTNN_SIMD && XSIMD_WITH_AVX2
    if constexpr (in_32s > 0) {
        const __m256 inverse = _mm256_set1_ps(inverse_scale);
        const __m256i zero_point = _mm256_set1_epi16(static_cast<std::int16_t>(qparams.zero_point));
        const auto scaled = [&](std::size_t at) {
            return clamp_256_or_low(_mm256_mul_ps(_mm256_loadu_ps(x + at), inverse));
        };
        for (std::size_t k = 0; k < in_32s; k += 32)
            store_rounded_quanta_32(scaled(k), scaled(k + 8), scaled(k + 16), scaled(k + 24), zero_point,
                                    _mm256_setzero_si256(), q + k);
    }
#endif
    if constexpr (whole > in_32s) {
        using V = simd::vector_t<float, Arch>;
        const V inverse(inverse_scale), low(-256.0f), high(256.0f), shift(12582912.0f), bottom(0.0f), top(255.0f);
        const V zero_point(static_cast<float>(qparams.zero_point));
        for (std::size_t k = in_32s; k < whole; k += lanes) {
            V v = simd::load_unaligned<V>(x + k) * inverse;
            v = simd::select(v > low, simd::select(v > high, high, v), low);
            v = V(v + shift) - shift;
            v = v + zero_point;
            v = simd::select(v > top, top, simd::select(v < bottom, bottom, v));
            store_quanta<Arch>(v, q + k);
        }
    }
#if CTNN_INTEGER_QUANTIZE
    // Without a floating-point unit, in integers (the same quanta, an eighth of the instructions).
    if constexpr (lanes == 1) {
        const integer_quantizer quantizer(inverse_scale, qparams.zero_point);
        if (quantizer.usable()) {
            for (std::size_t k = 0; k < N; ++k) q[k] = quantizer(x[k]);
            return;
        }
    }
#endif
    for (std::size_t k = whole; k < N; ++k) q[k] = qparams.quantize_with_inverse(x[k], inverse_scale);
}

#if CTNN_SIMD && XSIMD_WITH_AVX2
/// True when requantize_values takes FixedPointRequantizer's steps in AVX2's integer registers.
template <class Arch>
inline constexpr bool fixed_point_avx2 = has_avx2_integers<Arch>;

/// FixedPointRequantizer::apply on four accumulators (`acc`, any alignment) with their four multipliers, in the
/// 64-bit lanes of an AVX2 register; the four results in the low 32 bits of each lane.
[[nodiscard]] inline __m256i requantize_fixed_4(const std::int32_t* acc,
                                                const FixedPointRequantizer::multiplier_type* multipliers) noexcept {
    static_assert(sizeof(FixedPointRequantizer::multiplier_type) == 8 &&
                  offsetof(FixedPointRequantizer::multiplier_type, shift) == 4);
    const __m256i zero = _mm256_setzero_si256();
    // Each 64-bit lane: q in the low half, the shift in the high one.
    const __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(multipliers));
    const __m256i shifts = _mm256_srli_epi64(m, 32);  // each shift in a low half, its high half zero
    const __m256i left = _mm256_max_epi32(shifts, zero), right = _mm256_max_epi32(_mm256_sub_epi32(zero, shifts), zero);
    // x 2^left in 64 bits (at most 2^61), saturated to int32.
    const __m256i widened =
        _mm256_sllv_epi64(_mm256_cvtepi32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(acc))), left);
    const __m256i high_end = _mm256_set1_epi64x(INT32_MAX), low_end = _mm256_set1_epi64x(INT32_MIN);
    __m256i a = _mm256_blendv_epi8(widened, high_end, _mm256_cmpgt_epi64(widened, high_end));
    a = _mm256_blendv_epi8(a, low_end, _mm256_cmpgt_epi64(low_end, a));
    // SaturatingRoundingDoublingHighMul: (a q + nudge) / 2^31 truncated is floor((a q + 2^30) / 2^31), since the
    // nudge is 2^30 for a q >= 0 and 1 - 2^30 below, where truncation adds 2^31 - 1 to the floor's numerator. The
    // quotient fits in int32 (q < 2^31), so the low half of the logical shift is the arithmetic one's.
    const __m256i product = _mm256_mul_epi32(a, m);
    const __m256i high = _mm256_srli_epi64(_mm256_add_epi64(product, _mm256_set1_epi64x(std::int64_t{1} << 30)), 31);
    // RoundingDivideByPOT, on the low halves: (high >> right) + (remainder > (mask >> 1) + (high < 0)).
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(_mm256_set1_epi32(1), right), _mm256_set1_epi32(1));
    const __m256i remainder = _mm256_and_si256(high, mask);
    const __m256i threshold = _mm256_sub_epi32(_mm256_srli_epi32(mask, 1), _mm256_cmpgt_epi32(zero, high));
    return _mm256_sub_epi32(_mm256_srav_epi32(high, right), _mm256_cmpgt_epi32(remainder, threshold));
}
#else
template <class Arch>
inline constexpr bool fixed_point_avx2 = false;
#endif

/// How many of N accumulators requantize_values takes a register at a time: whole registers of FloatRequantizer's,
/// and on AVX2 groups of eight of FixedPointRequantizer's.
template <class Arch, class Requantizer, std::size_t N>
[[nodiscard]] constexpr std::size_t requantized_in_registers() noexcept {
#if CTNN_SIMD
    constexpr std::size_t lanes = simd::width<float, Arch>;
    if (std::is_same_v<Requantizer, FloatRequantizer> && lanes > 1) return N / lanes * lanes;
    if (std::is_same_v<Requantizer, FixedPointRequantizer> && fixed_point_avx2<Arch>) return N / 8 * 8;
#endif
    return 0;
}

/// y[o] = clamp(Requantizer::apply(acc[o], multipliers[o]) + zero_point, low, 255) for o < N, with 0 <= low <= 255
/// (ReLU: low = zero_point) and 0 <= zero_point <= 255. FloatRequantizer 32 at a time on AVX2
/// (store_rounded_quanta_32), then a register of `Arch` at a time and the rest one at a time; other requantizers one at
/// a time. Bit for bit the same quanta on every path.
template <class Arch, class Requantizer, std::size_t N>
inline void requantize_values(const std::int32_t* acc, const typename Requantizer::multiplier_type* multipliers,
                              std::int32_t zero_point, std::int32_t low, std::uint8_t* y) noexcept {
    constexpr std::size_t whole = requantized_in_registers<Arch, Requantizer, N>();
#if CTNN_SIMD
    if constexpr (whole > 0 && std::is_same_v<Requantizer, FixedPointRequantizer>) {
#if XSIMD_WITH_AVX2
        const __m256i zero = _mm256_set1_epi32(zero_point), lowest = _mm256_set1_epi32(low),
                      highest = _mm256_set1_epi32(255), bottom = _mm256_set1_epi32(-256), top = _mm256_set1_epi32(256);
        // The low halves of the 64-bit lanes of two groups of four, in order.
        const __m256i gather = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
        for (std::size_t o = 0; o < whole; o += 8) {
            const __m256i first = _mm256_permutevar8x32_epi32(requantize_fixed_4(acc + o, multipliers + o), gather);
            const __m256i second =
                _mm256_permutevar8x32_epi32(requantize_fixed_4(acc + o + 4, multipliers + o + 4), gather);
            __m256i v = _mm256_permute2x128_si256(first, second, 0x20);
            v = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, bottom), top), zero);
            v = _mm256_min_epi32(_mm256_max_epi32(v, lowest), highest);
            const __m256i words = _mm256_packs_epi32(v, v);
            const __m256i bytes = _mm256_packus_epi16(words, words);
            _mm_storel_epi64(reinterpret_cast<__m128i*>(y + o),
                             _mm_unpacklo_epi32(_mm256_castsi256_si128(bytes), _mm256_extracti128_si256(bytes, 1)));
        }
#endif
    } else if constexpr (whole > 0) {
        constexpr std::size_t lanes = simd::width<float, Arch>;
        using V = simd::vector_t<float, Arch>;
        using I = simd::vector_t<std::int32_t, Arch>;
        const V bottom(-256.0f), top(256.0f), shift(12582912.0f), zero(static_cast<float>(zero_point)),
            lowest(static_cast<float>(low)), highest(255.0f);
#if XSIMD_WITH_AVX2
        constexpr std::size_t in_32s = has_avx2_integers<Arch> ? N / 32 * 32 : 0;
        if constexpr (in_32s > 0) {
            const __m256i zero16 = _mm256_set1_epi16(static_cast<std::int16_t>(zero_point)),
                          low8 = _mm256_set1_epi8(static_cast<char>(low));
            const auto scaled = [&](std::size_t at) {
                const __m256 sum = _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + at)));
                return clamp_256_or_low(_mm256_mul_ps(sum, _mm256_loadu_ps(multipliers + at)));
            };
            for (std::size_t o = 0; o < in_32s; o += 32)
                store_rounded_quanta_32(scaled(o), scaled(o + 8), scaled(o + 16), scaled(o + 24), zero16, low8, y + o);
        }
#else
        constexpr std::size_t in_32s = 0;
#endif
        for (std::size_t o = in_32s; o < whole; o += lanes) {
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
#if CTNN_INTEGER_QUANTIZE
    // Without a floating-point unit, FloatRequantizer's product and roundings in integers (quant/integer_quantize.hpp:
    // the same steps as an input's quantization, with the multiplier for the inverse scale).
    if constexpr (std::is_same_v<Requantizer, FloatRequantizer> && whole == 0) {
        for (std::size_t o = 0; o < N; ++o) {
            const integer_quantizer quantizer(multipliers[o], zero_point);
            const std::int32_t r = quantizer.usable() ? quantizer(static_cast<float>(acc[o]))
                                                      : Requantizer::apply(acc[o], multipliers[o]) + zero_point;
            y[o] = static_cast<std::uint8_t>(std::clamp(r, low, std::int32_t{255}));
        }
        return;
    }
#endif
    for (std::size_t o = whole; o < N; ++o) {
        const std::int32_t r = Requantizer::apply(acc[o], multipliers[o]) + zero_point;
        y[o] = static_cast<std::uint8_t>(std::clamp(r, low, std::int32_t{255}));
    }
}

}  // namespace ctnn::detail
