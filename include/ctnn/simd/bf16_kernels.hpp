#pragma once

/// @file
/// Loads of weights stored as bfloat16, widened to float in registers: a register of `n`
/// float lanes from `n` consecutive bfloat16 values (16-bit patterns), each shifted into the
/// upper half of its lane, which is exact (ctnn::bfloat16_to_float). The dense kernels
/// (simd/kernels.hpp, simd/batch_kernels.hpp) read their weight rows through simd::load_weights
/// (simd/load_weights.hpp), so the same kernels compute with float, bfloat16 or binary16 weights.
///
/// xsimd 8.1 has no widening conversion from 16-bit to 32-bit lanes, so each instruction set
/// gets its intrinsics here (SSE2, AVX, AVX2, AVX-512F, NEON), and any other architecture the
/// portable load_bfloat16_portable beside them; tests/kernels checks that they agree.

#include "ctnn/bfloat16.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ctnn::simd {

/// A register `V` (float, or an xsimd batch of floats) of the bfloat16 values at `p`, widened
/// one by one: the reference for load_bfloat16. `p` need not be aligned.
template <class V>
[[nodiscard]] inline V load_bfloat16_portable(const std::uint16_t* p) noexcept {
    static_assert(std::is_same_v<scalar_t<V>, float>, "ctnn::simd::load_bfloat16: bfloat16 widens to float lanes");
    if constexpr (is_scalar<V>) {
        return bfloat16_to_float(*p);
    } else {
        constexpr std::size_t lanes = sizeof(V) / sizeof(float);
        alignas(V) float widened[lanes];
        for (std::size_t k = 0; k < lanes; ++k) widened[k] = bfloat16_to_float(p[k]);
        return simd::load<V>(widened);
    }
}

/// A register `V` (float, or an xsimd batch of floats) of the bfloat16 values at `p`, widened to
/// float: lane k is `bfloat16_to_float(p[k])`, bit for bit. `p` need not be aligned.
template <class V>
[[nodiscard]] inline V load_bfloat16(const std::uint16_t* p) noexcept {
    static_assert(std::is_same_v<scalar_t<V>, float>, "ctnn::simd::load_bfloat16: bfloat16 widens to float lanes");
#if CTNN_SIMD
    if constexpr (!is_scalar<V>) {
        using A = typename V::arch_type;
#if XSIMD_WITH_AVX512F
        if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
            const __m512i wide = _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
            return V(_mm512_castsi512_ps(_mm512_slli_epi32(wide, 16)));
        }
#endif
#if XSIMD_WITH_AVX2
        if constexpr (std::is_base_of_v<xsimd::avx2, A>) {
            const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
            return V(_mm256_castsi256_ps(_mm256_slli_epi32(wide, 16)));
        }
#endif
#if XSIMD_WITH_AVX
        // AVX has no 256-bit integer operations: two SSE2 halves.
        if constexpr (std::is_base_of_v<xsimd::avx, A>) {
            const __m128i half = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i zero = _mm_setzero_si128();
            return V(
                _mm256_castsi256_ps(_mm256_set_m128i(_mm_unpackhi_epi16(zero, half), _mm_unpacklo_epi16(zero, half))));
        }
#endif
#if XSIMD_WITH_SSE2
        // Interleaving zeros below each value puts it in the upper half of a 32-bit lane.
        if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
            const __m128i quarter = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
            return V(_mm_castsi128_ps(_mm_unpacklo_epi16(_mm_setzero_si128(), quarter)));
        }
#endif
#if XSIMD_WITH_NEON
        if constexpr (std::is_base_of_v<xsimd::neon, A>) {
            return V(vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(p), 16)));
        }
#endif
    }
#endif
    return load_bfloat16_portable<V>(p);
}

/// True when registers `V` (float lanes) widen bfloat16 weights two registers at a time
/// (load_bfloat16_pair): one load, a shift and an and for two registers, against a
/// widening load and a shift for each. SSE2 and AVX2 do; other architectures widen
/// register by register (load_bfloat16).
template <class V>
[[nodiscard]] constexpr bool widens_bfloat16_pairs() noexcept {
#if CTNN_SIMD
    if constexpr (!is_scalar<V>) {
        using A = typename V::arch_type;
        if constexpr (XSIMD_WITH_AVX2 && std::is_base_of_v<xsimd::avx2, A>) return true;
        if constexpr (XSIMD_WITH_SSE2 && std::is_base_of_v<xsimd::sse2, A>) return true;
    }
#endif
    return false;
}

/// Two registers of the 2 x width bfloat16 values at `p` (need not be aligned), widened in the
/// pair order: lane m of `even` holds p[2m], lane m of `odd` p[2m + 1]. Each 32-bit lane of the
/// load holds a pair, the even value in its lower half (little-endian): a shift left by 16
/// widens that one, masking the lower half the other. Requires widens_bfloat16_pairs<V>().
template <class V>
inline void load_bfloat16_pair(const std::uint16_t* p, V& even, V& odd) noexcept {
    static_assert(widens_bfloat16_pairs<V>(), "ctnn::simd::load_bfloat16_pair: not for this architecture");
#if CTNN_SIMD
    using A [[maybe_unused]] = typename V::arch_type;  // unused where neither SSE2 nor AVX2 is compiled in
#if XSIMD_WITH_AVX2
    if constexpr (std::is_base_of_v<xsimd::avx2, A>) {
        const __m256i pairs = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        even = V(_mm256_castsi256_ps(_mm256_slli_epi32(pairs, 16)));
        odd = V(_mm256_castsi256_ps(_mm256_and_si256(pairs, _mm256_set1_epi32(static_cast<int>(0xffff0000u)))));
        return;
    }
#endif
#if XSIMD_WITH_SSE2
    if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        const __m128i pairs = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        even = V(_mm_castsi128_ps(_mm_slli_epi32(pairs, 16)));
        odd = V(_mm_castsi128_ps(_mm_and_si128(pairs, _mm_set1_epi32(static_cast<int>(0xffff0000u)))));
        return;
    }
#endif
#endif
    (void)p, (void)even, (void)odd;
}

/// Two registers of consecutive values, `a` (values 0 .. width-1) and `b` (the next width), in
/// the pair order of load_bfloat16_pair: even = a0 a2 ... b0 b2 ..., odd = a1 a3 ... b1 b3 ....
/// Requires widens_bfloat16_pairs<V>().
template <class V>
inline void to_pair_order(const V& a, const V& b, V& even, V& odd) noexcept {
#if CTNN_SIMD
    using A [[maybe_unused]] = typename V::arch_type;  // unused where neither SSE2 nor AVX2 is compiled in
#if XSIMD_WITH_AVX2
    if constexpr (std::is_base_of_v<xsimd::avx2, A>) {
        // Within each 128-bit half, then the 64-bit quarters into order: a0 a2 | b0 b2 | a4 a6 | b4 b6 -> a.. b...
        const auto quarters = [](__m256 v) {
            return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)));
        };
        even = V(quarters(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0))));
        odd = V(quarters(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))));
        return;
    }
#endif
#if XSIMD_WITH_SSE2
    if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        even = V(_mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
        odd = V(_mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)));
        return;
    }
#endif
#endif
    (void)a, (void)b, (void)even, (void)odd;
}

/// The inverse of to_pair_order: `a` and `b` the consecutive values of `even` and `odd`.
template <class V>
inline void from_pair_order(const V& even, const V& odd, V& a, V& b) noexcept {
#if CTNN_SIMD
    using A [[maybe_unused]] = typename V::arch_type;  // unused where neither SSE2 nor AVX2 is compiled in
#if XSIMD_WITH_AVX2
    if constexpr (std::is_base_of_v<xsimd::avx2, A>) {
        // e0 o0 e1 o1 | e4 o4 e5 o5 = a0..a3 | b0..b3, and e2 o2 e3 o3 | e6 o6 e7 o7 = a4..a7 | b4..b7.
        const __m256 low = _mm256_unpacklo_ps(even, odd), high = _mm256_unpackhi_ps(even, odd);
        a = V(_mm256_permute2f128_ps(low, high, 0x20));
        b = V(_mm256_permute2f128_ps(low, high, 0x31));
        return;
    }
#endif
#if XSIMD_WITH_SSE2
    if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
        a = V(_mm_unpacklo_ps(even, odd));
        b = V(_mm_unpackhi_ps(even, odd));
        return;
    }
#endif
#endif
    (void)even, (void)odd, (void)a, (void)b;
}

}  // namespace ctnn::simd
