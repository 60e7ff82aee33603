#pragma once

/// @file
/// Operations written once for a scalar `T` and for an xsimd batch, so that activations,
/// losses and kernels have a single definition for both paths. The scalar overloads
/// come first; the batch overloads are the only code here that names xsimd.

#include "ctnn/simd/arch.hpp"

#include <cmath>
#include <type_traits>

namespace ctnn::simd {

/// True when `V` is a plain floating-point scalar rather than a register of lanes.
template <class V>
inline constexpr bool is_scalar = std::is_floating_point_v<V>;

template <class V>
concept Scalar = is_scalar<V>;

namespace detail {
template <class V, bool = is_scalar<V>>
struct scalar_of {
    using type = V;
};
template <class V>
struct scalar_of<V, false> {
    using type = typename V::value_type;
};
}  // namespace detail

/// The lane type of `V`: `V` itself for a scalar, `T` for `xsimd::batch<T, A>`.
template <class V>
using scalar_t = typename detail::scalar_of<V>::type;

// ---- scalars ------------------------------------------------------------------------

// Float exp, expm1, log1p, tanh and sigmoid are ctnn's own (simd/math.hpp, included at the end of this file
// because it is written with the operations below).
namespace math {
template <class V>
[[nodiscard]] V exp(const V& x) noexcept;
template <class V>
[[nodiscard]] V expm1(const V& x) noexcept;
template <class V>
[[nodiscard]] V log1p(const V& x) noexcept;
template <class V>
[[nodiscard]] V tanh(const V& x) noexcept;
template <class V>
[[nodiscard]] V sigmoid(const V& x) noexcept;
}  // namespace math

namespace detail {
// Whether the target multiplies and adds in one rounding in hardware (x86 with FMA, AArch64, and float on the
// Cortex-M4F and M7), as compilers tell with __FP_FAST_FMA(F) (GCC) or the instruction-set macros (Clang 14 sets no
// __FP_FAST_FMA). ACLE: bit 2 of __ARM_FP is single precision, bit 3 double.
#if defined(__FMA__) || defined(__aarch64__) || defined(__FP_FAST_FMAF) || \
    (defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 4))
inline constexpr bool float_fused_multiply_add = true;
#else
inline constexpr bool float_fused_multiply_add = false;
#endif
#if defined(__FMA__) || defined(__aarch64__) || defined(__FP_FAST_FMA) || \
    (defined(__ARM_FEATURE_FMA) && defined(__ARM_FP) && (__ARM_FP & 8))
inline constexpr bool double_fused_multiply_add = true;
#else
inline constexpr bool double_fused_multiply_add = false;
#endif
/// True where `T` (float or double) has a fused multiply-add in hardware: std::fma is one instruction there.
template <class T>
inline constexpr bool has_fused_multiply_add = (std::is_same_v<T, float> && float_fused_multiply_add) ||
                                               (std::is_same_v<T, double> && double_fused_multiply_add);
}  // namespace detail

/// Loads a register from `p`, aligned to the register's size.
template <Scalar V>
[[nodiscard]] inline V load(const V* p) noexcept {
    return *p;
}
/// Loads a register from `p`, at any alignment.
template <Scalar V>
[[nodiscard]] inline V load_unaligned(const V* p) noexcept {
    return *p;
}
/// Stores a register to `p`, aligned to the register's size.
template <Scalar V>
inline void store(V* p, V v) noexcept {
    *p = v;
}
/// Stores a register to `p`, at any alignment.
template <Scalar V>
inline void store_unaligned(V* p, V v) noexcept {
    *p = v;
}
/// a * b + c, rounded once where the target has a fused multiply-add for `V` (std::fma is one
/// instruction there), as every lane of the register overload: so the scalar path rounds as the
/// SIMD one, and the same wherever it is inlined (whether the compiler contracts a * b + c depends
/// on the context and the optimisation level). Without one it rounds twice: std::fma would be a
/// library call (double on a Cortex-M4F, everything on SSE2).
template <Scalar V>
[[nodiscard]] inline V fma(V a, V b, V c) noexcept {
    if constexpr (detail::has_fused_multiply_add<V>) {
        return std::fma(a, b, c);
    } else {
        return a * b + c;
    }
}
/// a / b, correctly rounded.
template <Scalar V>
[[nodiscard]] inline V div(V a, V b) noexcept {
    return a / b;
}
/// The sum of the lanes.
template <Scalar V>
[[nodiscard]] inline V reduce_add(V v) noexcept {
    return v;
}
/// A register with every lane holding lane `Lane` of v.
template <std::size_t Lane, Scalar V>
[[nodiscard]] inline V broadcast_lane(V v) noexcept {
    static_assert(Lane == 0, "ctnn::simd::broadcast_lane: a scalar has one lane");
    return v;
}
/// Lane-wise `condition ? a : b`.
template <Scalar V>
[[nodiscard]] inline V select(bool condition, V a, V b) noexcept {
    return condition ? a : b;
}
template <Scalar V>
[[nodiscard]] inline V exp(V x) noexcept {
    if constexpr (std::is_same_v<V, float>) {
        return math::exp(x);
    } else {
        return std::exp(x);
    }
}
template <Scalar V>
[[nodiscard]] inline V expm1(V x) noexcept {
    if constexpr (std::is_same_v<V, float>) {
        return math::expm1(x);
    } else {
        return std::expm1(x);
    }
}
template <Scalar V>
[[nodiscard]] inline V log1p(V x) noexcept {
    if constexpr (std::is_same_v<V, float>) {
        return math::log1p(x);
    } else {
        return std::log1p(x);
    }
}
template <Scalar V>
[[nodiscard]] inline V tanh(V x) noexcept {
    if constexpr (std::is_same_v<V, float>) {
        return math::tanh(x);
    } else {
        return std::tanh(x);
    }
}
template <Scalar V>
[[nodiscard]] inline V abs(V x) noexcept {
    return std::fabs(x);
}
template <Scalar V>
[[nodiscard]] inline V sqrt(V x) noexcept {
    return std::sqrt(x);
}
template <Scalar V>
[[nodiscard]] inline V max(V a, V b) noexcept {
    return a < b ? b : a;
}
template <Scalar V>
[[nodiscard]] inline V min(V a, V b) noexcept {
    return b < a ? b : a;
}

// ---- xsimd batches ------------------------------------------------------------------
#if CTNN_SIMD
template <class B, class T = typename B::value_type>
    requires(!is_scalar<B>)
[[nodiscard]] inline B load(const T* p) noexcept {
    return B::load_aligned(p);
}
template <class B, class T = typename B::value_type>
    requires(!is_scalar<B>)
[[nodiscard]] inline B load_unaligned(const T* p) noexcept {
    return B::load_unaligned(p);
}
template <class T, class A>
inline void store(T* p, const xsimd::batch<T, A>& v) noexcept {
    v.store_aligned(p);
}
template <class T, class A>
inline void store_unaligned(T* p, const xsimd::batch<T, A>& v) noexcept {
    v.store_unaligned(p);
}
// xsimd 8.1 has no AVX-512 fma: its generic a * b + c rounds twice, or once where the compiler contracts it, so
// lanes would round differently from the scalar std::fma and from one expression to the next. The instruction then.
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> fma(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b,
                                            const xsimd::batch<T, A>& c) noexcept {
#if XSIMD_WITH_AVX512F
    if constexpr (std::is_base_of_v<xsimd::avx512f, A>) {
        if constexpr (std::is_same_v<T, float>) {
            return _mm512_fmadd_ps(a, b, c);
        } else if constexpr (std::is_same_v<T, double>) {
            return _mm512_fmadd_pd(a, b, c);
        }
    }
#endif
    return xsimd::fma(a, b, c);
}
// xsimd 8.1 divides and takes square roots of float batches on AArch64 with its ARMv7 code: a reciprocal (square
// root) estimate refined by Newton steps, which is not correctly rounded (40 % of quotients differ from a / b in the
// last bit). AArch64 has both operations as instructions; use them, so that every lane equals the scalar result.
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> div(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b) noexcept {
#if XSIMD_WITH_NEON64
    if constexpr (std::is_same_v<T, float> && std::is_base_of_v<xsimd::neon64, A>) {
        return vdivq_f32(a, b);
    }
#endif
    return a / b;
}
template <class T, class A>
[[nodiscard]] inline T reduce_add(const xsimd::batch<T, A>& v) noexcept {
    return xsimd::hadd(v);
}
namespace detail {
template <std::size_t Lane>
struct every_lane_is {
    static constexpr std::size_t get(std::size_t, std::size_t) noexcept { return Lane; }
};
}  // namespace detail
template <std::size_t Lane, class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> broadcast_lane(const xsimd::batch<T, A>& v) noexcept {
    static_assert(Lane < xsimd::batch<T, A>::size, "ctnn::simd::broadcast_lane: no such lane");
    using index = xsimd::batch<std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>, A>;
    return xsimd::swizzle(v, xsimd::make_batch_constant<index, detail::every_lane_is<Lane>>());
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> select(const xsimd::batch_bool<T, A>& condition, const xsimd::batch<T, A>& a,
                                               const xsimd::batch<T, A>& b) noexcept {
    return xsimd::select(condition, a, b);
}
namespace detail {
/// `f(x)` for xsimd's exp-based functions, defined for every argument. Where an instruction
/// set lacks a double -> int64 conversion, xsimd converts the exponent in scalar C++, which is
/// undefined behaviour for a NaN or an argument beyond about 1e19 (UBSan reports it). So a
/// double argument is clamped to [-1000, 1000], where exp, expm1 and tanh have long
/// saturated (the result is the same), and a NaN is passed as 0 and put back afterwards.
template <class T, class A, class F>
[[nodiscard]] inline xsimd::batch<T, A> with_exponent_in_range(const xsimd::batch<T, A>& x, F f) noexcept {
    if constexpr (std::is_same_v<T, double>) {
        using B = xsimd::batch<T, A>;
        const auto nan = xsimd::isnan(x);  // not x != x: AVX compares NaN != NaN as false
        const B bounded = xsimd::select(x < B(-1000), B(-1000), xsimd::select(x > B(1000), B(1000), x));
        return xsimd::select(nan, x, f(xsimd::select(nan, B(0), bounded)));
    } else {
        return f(x);
    }
}
}  // namespace detail

template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> exp(const xsimd::batch<T, A>& x) noexcept {
    if constexpr (std::is_same_v<T, float>) {
        return math::exp(x);
    } else {
        return detail::with_exponent_in_range(x, [](const auto& v) { return xsimd::exp(v); });
    }
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> expm1(const xsimd::batch<T, A>& x) noexcept {
    if constexpr (std::is_same_v<T, float>) {
        return math::expm1(x);
    } else {
        return detail::with_exponent_in_range(x, [](const auto& v) { return xsimd::expm1(v); });
    }
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> log1p(const xsimd::batch<T, A>& x) noexcept {
    if constexpr (std::is_same_v<T, float>) {
        return math::log1p(x);
    } else {
        return xsimd::log1p(x);
    }
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> tanh(const xsimd::batch<T, A>& x) noexcept {
    if constexpr (std::is_same_v<T, float>) {
        return math::tanh(x);
    } else {
        return detail::with_exponent_in_range(x, [](const auto& v) { return xsimd::tanh(v); });
    }
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> abs(const xsimd::batch<T, A>& x) noexcept {
    return xsimd::abs(x);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> sqrt(const xsimd::batch<T, A>& x) noexcept {
#if XSIMD_WITH_NEON64
    if constexpr (std::is_same_v<T, float> && std::is_base_of_v<xsimd::neon64, A>) {
        return vsqrtq_f32(x);  // see div
    }
#endif
    return xsimd::sqrt(x);
}
// max and min as selects, so a NaN propagates exactly as in the scalar versions (xsimd's
// return the second operand when either is NaN, which would hide a diverged training).
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> max(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b) noexcept {
    return xsimd::select(a < b, b, a);
}
template <class T, class A>
[[nodiscard]] inline xsimd::batch<T, A> min(const xsimd::batch<T, A>& a, const xsimd::batch<T, A>& b) noexcept {
    return xsimd::select(b < a, b, a);
}
#endif

// ---- built on the above, for both -----------------------------------------------------

/// 1 / (1 + e^-x), finite for every finite x: e^-x overflows to +inf for very negative x,
/// and 1 / inf is 0, the right limit. Float lanes: math::sigmoid.
template <class V>
[[nodiscard]] inline V sigmoid(const V& x) noexcept {
    if constexpr (std::is_same_v<scalar_t<V>, float>) {
        return math::sigmoid(x);
    } else {
        return simd::div(V(1), V(V(1) + simd::exp(V(-x))));
    }
}

/// log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|).
template <class V>
[[nodiscard]] inline V softplus(const V& x) noexcept {
    return simd::max(x, V(0)) + simd::log1p(simd::exp(V(-simd::abs(x))));
}

/// +-0 in each lane where every argument is finite, NaN where one of them is infinite or NaN:
/// x 0 is +-0 for a finite x and NaN for an infinity or a NaN. One multiply, then one fused
/// multiply-add per further argument; `finite_residue(x...) == V(0)` is the lane mask "all
/// finite". Needs IEEE arithmetic (not -ffinite-math-only, which folds x 0 to 0).
template <class V, class... More>
[[nodiscard]] inline V finite_residue(const V& x, const More&... more) noexcept {
    const V zero(scalar_t<V>(0));
    V residue = x * zero;
    ((residue = simd::fma(more, zero, residue)), ...);
    return residue;
}

/// A guarded store: `updated` goes to the aligned register at `p` in the lanes where it is
/// finite, and `old` (the register's value before) in the others, so no infinity or NaN is
/// written. Returns `rejected` plus the residue of `updated` (see finite_residue): its lanes
/// stay 0, from 0, while every lane is stored.
template <class V, class T = scalar_t<V>>
[[nodiscard]] inline V store_finite(T* p, const V& updated, const V& old, const V& rejected) noexcept {
    const V residue = simd::finite_residue(updated);
    simd::store(p, simd::select(residue == V(T(0)), updated, old));
    return rejected + residue;
}

/// A `std::ratio` as a register of `V` (activation parameters are ratios, because
/// clang 14 has no floating-point template parameters).
template <class V, class Ratio>
[[nodiscard]] inline V ratio_value() noexcept {
    using T = scalar_t<V>;
    return V(static_cast<T>(Ratio::num) / static_cast<T>(Ratio::den));
}

}  // namespace ctnn::simd

// The definitions of the math:: functions declared above (math.hpp includes this file first).
#include "ctnn/simd/math.hpp"
