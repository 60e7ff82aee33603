#pragma once

/// @file
/// The x86 kernels' steps for simd/int8_kernels.hpp (uint8 activations times int8 weights into
/// int32): a policy per instruction set, which int8_kernels.hpp's register-blocked loop calls.
///
///   - SSE2 (`int8_sse2`, 8 inputs a step) and AVX2 (`int8_avx2`, 16 inputs a step): both operands
///     widened to int16 (zero-extended activations, sign-extended weights), `pmaddwd` multiplies
///     them and adds adjacent products into int32 lanes. Exact: a pair sums to at most
///     2 * 255 * 128 in magnitude. `pmaddubsw` (u8 x s8 without widening) is not used because it
///     saturates that pair sum to int16.
///   - AVX-512 with VNNI (`int8_avx512vnni`, `__AVX512VNNI__` and `__AVX512BW__`, 64 inputs a
///     step): `vpdpbusd` adds four u8 x s8 products to each int32 lane, exactly.
///
/// A policy gives: `chunk` (inputs a step), `rows` (outputs a one-sample pass keeps in
/// registers), `tile_samples` x `tile_rows` (the batch kernel's block of sums in registers),
/// `load_x` (a chunk of activations), `load_w<Bytes>` (`Bytes` weights, a multiple of 4
/// up to a chunk, the rest of the register zero; only those bytes are read), `mac` and `sum`.

#include "ctnn/simd/arch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#if CTNN_SIMD && XSIMD_WITH_SSE2
#define CTNN_INT8_SSE2 1
#else
#define CTNN_INT8_SSE2 0
#endif
#if CTNN_SIMD && XSIMD_WITH_AVX2
#define CTNN_INT8_AVX2 1
#else
#define CTNN_INT8_AVX2 0
#endif
#if CTNN_SIMD && XSIMD_WITH_AVX512F && defined(__AVX512VNNI__) && defined(__AVX512BW__)
#define CTNN_INT8_AVX512VNNI 1
#else
#define CTNN_INT8_AVX512VNNI 0
#endif

namespace ctnn::simd::detail {

#if CTNN_INT8_SSE2
/// `Bytes` bytes from `p` (4, 8, 12 or 16; any alignment) in the low bytes of a register, the
/// rest zero. Reads only those bytes.
template <std::size_t Bytes>
[[nodiscard]] inline __m128i load_partial_128(const void* p) noexcept {
    static_assert(Bytes == 4 || Bytes == 8 || Bytes == 12 || Bytes == 16);
    const auto* bytes = static_cast<const unsigned char*>(p);
    const auto word = [](const unsigned char* q) {
        std::int32_t v;
        std::memcpy(&v, q, sizeof v);
        return _mm_cvtsi32_si128(v);
    };
    if constexpr (Bytes == 16)
        return _mm_loadu_si128(static_cast<const __m128i*>(p));
    else if constexpr (Bytes == 12)
        return _mm_unpacklo_epi64(_mm_loadl_epi64(static_cast<const __m128i*>(p)), word(bytes + 8));
    else if constexpr (Bytes == 8)
        return _mm_loadl_epi64(static_cast<const __m128i*>(p));
    else
        return word(bytes);
}

struct int8_sse2 {
    static constexpr std::size_t chunk = 8, rows = 8, tile_samples = 4, tile_rows = 2;
    using x_type = __m128i;
    using acc_type = __m128i;

    [[nodiscard]] static __m128i load_x(const std::uint8_t* p) noexcept {
        return _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), _mm_setzero_si128());
    }
    template <std::size_t Bytes>
    [[nodiscard]] static __m128i load_w(const std::int8_t* p) noexcept {
        const __m128i bytes = load_partial_128<Bytes>(p);
#if defined(__SSE4_1__)
        return _mm_cvtepi8_epi16(bytes);
#else
        // Each byte into the upper half of its 16-bit lane, then shifted down with its sign.
        return _mm_srai_epi16(_mm_unpacklo_epi8(bytes, bytes), 8);
#endif
    }
    [[nodiscard]] static __m128i mac(__m128i acc, __m128i x, __m128i w) noexcept {
        return _mm_add_epi32(acc, _mm_madd_epi16(x, w));
    }
    [[nodiscard]] static std::int32_t sum(__m128i v) noexcept {
        v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
        v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
        return _mm_cvtsi128_si32(v);
    }
};
#endif

#if CTNN_INT8_AVX2
struct int8_avx2 {
    // 8 sums, the activations and a weight register: 10 of the 16 registers.
    static constexpr std::size_t chunk = 16, rows = 8, tile_samples = 4, tile_rows = 2;
    using x_type = __m256i;
    using acc_type = __m256i;

    [[nodiscard]] static __m256i load_x(const std::uint8_t* p) noexcept {
        return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    }
    template <std::size_t Bytes>
    [[nodiscard]] static __m256i load_w(const std::int8_t* p) noexcept {
        return _mm256_cvtepi8_epi16(load_partial_128<Bytes>(p));
    }
    [[nodiscard]] static __m256i mac(__m256i acc, __m256i x, __m256i w) noexcept {
        return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w));
    }
    [[nodiscard]] static std::int32_t sum(__m256i v) noexcept {
        return int8_sse2::sum(_mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
    }
};
#endif

#if CTNN_INT8_AVX512VNNI
struct int8_avx512vnni {
    static constexpr std::size_t chunk = 64, rows = 8, tile_samples = 4, tile_rows = 4;
    using x_type = __m512i;
    using acc_type = __m512i;

    [[nodiscard]] static __m512i load_x(const std::uint8_t* p) noexcept { return _mm512_loadu_si512(p); }
    template <std::size_t Bytes>
    [[nodiscard]] static __m512i load_w(const std::int8_t* p) noexcept {
        if constexpr (Bytes == chunk)
            return _mm512_loadu_si512(p);
        else
            return _mm512_maskz_loadu_epi8((__mmask64{1} << Bytes) - 1, p);  // masked bytes are not read
    }
    [[nodiscard]] static __m512i mac(__m512i acc, __m512i x, __m512i w) noexcept {
        return _mm512_dpbusd_epi32(acc, x, w);
    }
    [[nodiscard]] static std::int32_t sum(__m512i v) noexcept { return _mm512_reduce_add_epi32(v); }
};
#endif

}  // namespace ctnn::simd::detail
