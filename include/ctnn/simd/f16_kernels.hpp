#pragma once

/// @file
/// Loads of weights stored as IEEE 754 binary16, widened to float in registers: a register of
/// `n` float lanes from `n` consecutive binary16 values, each exactly its float
/// (ctnn::float16_to_float). The dense kernels read binary16 weight rows through
/// simd::load_weights (simd/load_weights.hpp), which tells them from bfloat16 rows by their type,
/// simd::Float16Bits.
///
/// Where the compiler targets x86's F16C (`__F16C__`, e.g. -mf16c or -march=x86-64-v3), VCVTPH2PS
/// widens 4 or 8 values in one instruction (_mm_cvtph_ps, _mm256_cvtph_ps), and with AVX-512F
/// 16 (_mm512_cvtph_ps); on AArch64, FCVTL (vcvt_f32_f16) widens 4. SSE2, AVX or AVX2 without
/// F16C and 32-bit NEON put the float patterns together in integer lanes
/// (detail::widen_float16_bits); scalar code converts value by value (load_float16_portable).
/// tests/kernels checks that the paths agree on every pattern.

#include "ctnn/float16.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/bf16_kernels.hpp"
#include "ctnn/simd/ops.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ctnn::simd {

/// A binary16 weight as the kernels read it: its 16 bits (ctnn::round_to_float16), in a type of its
/// own so that load_weights tells binary16 weights from bfloat16 ones, which are std::uint16_t.
enum class Float16Bits : std::uint16_t {};

/// A register `V` (float, or an xsimd batch of floats) of the binary16 values at `p`, widened
/// one by one: the reference for load_float16. `p` need not be aligned.
template <class V>
[[nodiscard]] inline V load_float16_portable(const Float16Bits* p) noexcept {
    static_assert(std::is_same_v<scalar_t<V>, float>, "ctnn::simd::load_float16: binary16 widens to float lanes");
    if constexpr (is_scalar<V>) {
        return float16_to_float(static_cast<std::uint16_t>(*p));
    } else {
        constexpr std::size_t lanes = sizeof(V) / sizeof(float);
        alignas(V) float widened[lanes];
        for (std::size_t k = 0; k < lanes; ++k) widened[k] = float16_to_float(static_cast<std::uint16_t>(p[k]));
        return simd::load<V>(widened);
    }
}

namespace detail {
/// A register of binary16 values widened in integer lanes, for registers without a widening instruction: `high`
/// holds each pattern in the upper half of its 32-bit lane (load_bfloat16), and the float's pattern is put together
/// as float16_to_float does it, lane by lane with selects: a normal's exponent rebiased, an infinity's or NaN's made
/// all ones (a NaN quiet), a subnormal k 2^-24 as the float of k times 2^-24 (exact: k < 1024, the product a normal
/// float, so flush-to-zero modes leave it alone).
template <class V>
[[nodiscard]] inline V widen_float16_bits(const V& high) noexcept {
#if CTNN_SIMD
    using A = typename V::arch_type;
    using I = xsimd::batch<std::int32_t, A>;
    const I bits = xsimd::bitwise_cast<I>(high);
    const I sign = bits & I(static_cast<std::int32_t>(0x80000000u));
    const I magnitude = (bits >> 16) & I(0x7fff);  // the pattern without its sign: exponent and fraction
    const I normal = (magnitude << 13) + I(112 << 23);
    const I special = (normal + I(112 << 23)) | xsimd::select(magnitude > I(0x7c00), I(0x00400000), I(0));
    const I subnormal = xsimd::bitwise_cast<I>(xsimd::to_float(magnitude) * V(0x1p-24f));
    const I widened =
        xsimd::select(magnitude >= I(0x7c00), special, xsimd::select(magnitude < I(0x0400), subnormal, normal));
    return xsimd::bitwise_cast<V>(widened | sign);
#else
    return high;
#endif
}
}  // namespace detail

/// True when load_float16 widens registers `V` with an instruction (F16C, AVX-512F, AArch64)
/// rather than value by value (load_float16_portable).
template <class V>
[[nodiscard]] constexpr bool widens_float16_in_registers() noexcept {
#if CTNN_SIMD
    if constexpr (!is_scalar<V>) {
        using A [[maybe_unused]] = typename V::arch_type;  // unused where no widening instruction is compiled in
#if XSIMD_WITH_AVX512F
        if constexpr (std::is_base_of_v<xsimd::avx512f, A>) return true;
#endif
#if XSIMD_WITH_NEON64
        if constexpr (std::is_base_of_v<xsimd::neon64, A>) return true;
#endif
#if defined(__F16C__) && (XSIMD_WITH_AVX || XSIMD_WITH_SSE2)
        if constexpr (sizeof(V) == 32 || sizeof(V) == 16) return true;
#endif
    }
#endif
    return false;
}

/// A register `V` (float, or an xsimd batch of floats) of the binary16 values at `p`, widened to
/// float: lane k is `float16_to_float(p[k])`, bit for bit (a NaN quiet, as VCVTPH2PS gives it).
/// `p` need not be aligned.
template <class V>
[[nodiscard]] inline V load_float16(const Float16Bits* p) noexcept {
    static_assert(std::is_same_v<scalar_t<V>, float>, "ctnn::simd::load_float16: binary16 widens to float lanes");
#if CTNN_SIMD
    if constexpr (!is_scalar<V>) {
        using A [[maybe_unused]] = typename V::arch_type;  // unused where no widening instruction is compiled in
#if XSIMD_WITH_AVX512F
        if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
            return V(_mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))));
        }
#endif
#if defined(__F16C__) && XSIMD_WITH_AVX
        if constexpr (std::is_base_of_v<xsimd::avx, A>) {
            return V(_mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
        }
#endif
#if defined(__F16C__) && XSIMD_WITH_SSE2
        if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
            return V(_mm_cvtph_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
        }
#endif
#if XSIMD_WITH_NEON64
        if constexpr (std::is_base_of_v<xsimd::neon64, A>) {
            return V(vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(reinterpret_cast<const std::uint16_t*>(p)))));
        }
#endif
        // No widening instruction (SSE2, AVX or AVX2 without F16C; 32-bit NEON): integer lanes, from load_bfloat16's
        // register (its intrinsics read the patterns as 16-bit lanes).
#if XSIMD_WITH_SSE2
        if constexpr (std::is_base_of_v<xsimd::sse2, A>) {
            return detail::widen_float16_bits(load_bfloat16<V>(reinterpret_cast<const std::uint16_t*>(p)));
        }
#endif
#if XSIMD_WITH_NEON
        if constexpr (std::is_base_of_v<xsimd::neon, A>) {
            return detail::widen_float16_bits(load_bfloat16<V>(reinterpret_cast<const std::uint16_t*>(p)));
        }
#endif
    }
#endif
    return load_float16_portable<V>(p);
}

}  // namespace ctnn::simd
