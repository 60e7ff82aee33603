#pragma once

/// @file
/// The one place that decides how wide the kernels are. Everything above this layer
/// speaks of an *arch tag*: `simd::scalar_arch`, or an xsimd architecture.

#include <xsimd/config/xsimd_config.hpp>

#include <cstddef>
#include <type_traits>

#if !defined(CTNN_FORCE_SCALAR) && !defined(XSIMD_NO_SUPPORTED_ARCHITECTURE)
#define CTNN_SIMD 1
// GCC 12.0 to 12.2 report the deliberately undefined pass-through register of many AVX-512 intrinsics
// (_mm512_undefined_*(), a self-initialised variable) as used uninitialized wherever they are inlined: a false
// positive of those releases, fixed in 12.3. GCC takes a warning's disposition from the innermost place of its
// inlining chain that a pragma covers, here the intrinsics' and xsimd's own lines, which these pragmas cover when
// this is the first include of xsimd (and of <immintrin.h>): ctnn's and xsimd's AVX-512 code compiles with
// -march=native -Werror, and every other warning stays on.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12 && __GNUC_MINOR__ < 3 && defined(__AVX512F__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <xsimd/xsimd.hpp>
#pragma GCC diagnostic pop
#else
#include <xsimd/xsimd.hpp>
#endif
#else
#define CTNN_SIMD 0
#endif

namespace ctnn::simd {

/// One lane at a time, plain `T` arithmetic. Never names `xsimd::batch`, so it builds
/// where xsimd has no architecture (Cortex-M).
struct scalar_arch {
    static constexpr const char* name() noexcept { return "scalar"; }
};

#if CTNN_SIMD
/// The widest instruction set the compiler flags allow (`-march=...`), chosen at compile time.
using default_arch = xsimd::default_arch;
#else
using default_arch = scalar_arch;
#endif

namespace detail {
template <class T, class Arch>
struct vector_type;
template <class T>
struct vector_type<T, scalar_arch> {
    using type = T;
};
#if CTNN_SIMD
template <class T, class Arch>
struct vector_type {
    using type = xsimd::batch<T, Arch>;
};
#endif
}  // namespace detail

/// The register type the kernels compute in: `T` itself for `scalar_arch`.
template <class T, class Arch>
using vector_t = typename detail::vector_type<T, Arch>::type;

/// Lanes of `T` in one register of `Arch`.
template <class T, class Arch>
inline constexpr std::size_t width = sizeof(vector_t<T, Arch>) / sizeof(T);

/// Alignment of a register of `Arch`, in bytes; every buffer of the kernels has it.
template <class T, class Arch>
inline constexpr std::size_t alignment = alignof(vector_t<T, Arch>);

/// `n` rounded up to whole registers: the length of every padded row and buffer.
template <class T, class Arch>
[[nodiscard]] constexpr std::size_t padded(std::size_t n) noexcept {
    return (n + width<T, Arch> - 1) / width<T, Arch> * width<T, Arch>;
}

/// True for `simd::scalar_arch` and for every xsimd architecture.
template <class Arch>
inline constexpr bool is_arch = std::is_same_v<Arch, scalar_arch>
#if CTNN_SIMD
                                || std::is_base_of_v<xsimd::generic, Arch>
#endif
    ;

}  // namespace ctnn::simd
