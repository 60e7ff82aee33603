#pragma once

/// @file
/// Loads of weights stored as bfloat16, widened to float in registers: a register of `n`
/// float lanes from `n` consecutive bfloat16 values (16-bit patterns), each shifted into the
/// upper half of its lane, which is exact (ctnn::bfloat16_to_float). The dense kernels
/// (simd/kernels.hpp, simd/batch_kernels.hpp) read their weight rows through load_weights,
/// so the same kernels compute with float or bfloat16 weights.
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

// GCC 12.0 to 12.2 report the deliberately undefined pass-through register of _mm512_cvtepu16_epi32 and
// _mm512_slli_epi32 (_mm512_undefined_epi32(), self-initialised) as used uninitialized, a false positive fixed in
// 12.3 (as in batch_kernels.hpp). The pragmas cover this file's lines.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12 && __GNUC_MINOR__ < 3 && defined(__AVX512F__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define CTNN_BF16_KERNELS_PRAGMAS 1
#endif

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

/// A register `V` of weights at `p`: an aligned load when they are stored as `V`'s lanes
/// (`W` = scalar_t<V>), a widening load_bfloat16 when they are bfloat16 (`W` = std::uint16_t).
template <class V, class W>
[[nodiscard]] inline V load_weights(const W* p) noexcept {
    if constexpr (std::is_same_v<W, scalar_t<V>>) {
        return simd::load<V>(p);
    } else {
        static_assert(std::is_same_v<W, std::uint16_t>,
                      "ctnn::simd::load_weights: weights are stored as the lanes' type or as bfloat16 (std::uint16_t)");
        return load_bfloat16<V>(p);
    }
}

}  // namespace ctnn::simd

#ifdef CTNN_BF16_KERNELS_PRAGMAS
#pragma GCC diagnostic pop
#undef CTNN_BF16_KERNELS_PRAGMAS
#endif
