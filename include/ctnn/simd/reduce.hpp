#pragma once

/// @file
/// Reductions over a flat array of whole registers (a network's storage, its gradients, a
/// workspace row): the generic `reduce`, and from it `all_finite` and `euclidean_norm`; `add_abs`
/// and `sum_abs`, bounds on the magnitudes (the fused SGD step's overflow test).

#include "ctnn/detail/sum_of_squares.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <cstddef>
#include <limits>

namespace ctnn::simd {

/// Folds the registers of `Size` aligned elements into four accumulators, acc = step(acc, r)
/// (acc and r of type `vector_t<T, Arch>`, the accumulators starting at 0), then returns the
/// sum of the accumulators' lanes. Four independent chains rather than one keep the loop
/// bound by throughput, not by the latency of `step`. The order of the additions differs
/// between architectures, so sums agree up to rounding.
///
/// Requires: `p` aligned to `alignment<T, Arch>`; `Size` a whole number of registers.
template <class Arch, std::size_t Size, class T, class Step>
[[nodiscard]] inline T reduce(const T* p, Step step) noexcept {
    static_assert(Size % width<T, Arch> == 0, "ctnn::simd::reduce: Size must be a whole number of registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t w = width<T, Arch>;
    constexpr std::size_t registers = Size / w;
    constexpr std::size_t blocked = registers / 4 * 4;
    V a0(T(0)), a1(T(0)), a2(T(0)), a3(T(0));
    for (std::size_t r = 0; r < blocked; r += 4) {
        a0 = step(a0, simd::load<V>(p + r * w));
        a1 = step(a1, simd::load<V>(p + (r + 1) * w));
        a2 = step(a2, simd::load<V>(p + (r + 2) * w));
        a3 = step(a3, simd::load<V>(p + (r + 3) * w));
    }
    for (std::size_t r = blocked; r < registers; ++r) a0 = step(a0, simd::load<V>(p + r * w));
    return simd::reduce_add(V((a0 + a1) + (a2 + a3)));
}

/// acc + x 0 for every register x of the `Size` aligned elements at `p`: x 0 is +-0 for a
/// finite x and NaN for an infinity or a NaN, so the lanes of acc stay 0 (when they start at
/// 0) exactly while every element is finite. One fused multiply-add per register, for checks
/// that span several arrays (ctnn::fused_sgd_step's rows). Needs IEEE arithmetic (not
/// -ffinite-math-only, which folds x 0 to 0).
template <class Arch, std::size_t Size, class T>
[[nodiscard]] inline vector_t<T, Arch> add_finite_residue(const T* p, vector_t<T, Arch> acc) noexcept {
    static_assert(Size % width<T, Arch> == 0,
                  "ctnn::simd::add_finite_residue: Size must be a whole number of registers");
    using V = vector_t<T, Arch>;
    const V zero(T(0));
    for (std::size_t i = 0; i < Size; i += width<T, Arch>) acc = simd::fma(simd::load<V>(p + i), zero, acc);
    return acc;
}

/// acc + |x| for every register x of the `Size` aligned elements at `p`: the sum of the lanes of
/// the result, from acc = 0, is at least every |p_k| (see sum_abs). Two operations a register,
/// for bounds that span several arrays (ctnn::fused_sgd_step's overflow test).
template <class Arch, std::size_t Size, class T>
[[nodiscard]] inline vector_t<T, Arch> add_abs(const T* p, vector_t<T, Arch> acc) noexcept {
    static_assert(Size % width<T, Arch> == 0, "ctnn::simd::add_abs: Size must be a whole number of registers");
    using V = vector_t<T, Arch>;
    for (std::size_t i = 0; i < Size; i += width<T, Arch>) acc = acc + simd::abs(simd::load<V>(p + i));
    return acc;
}

/// sum_k |p_k| over the `Count` elements at `p`, at any alignment and in any number: a bound
/// on every |p_k| (a rounded sum of non-negative terms is at least each term), infinite or NaN
/// when an element is, and possibly infinite when the elements are near T's largest value.
template <class Arch, std::size_t Count, class T>
[[nodiscard]] inline T sum_abs(const T* p) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t whole = Count / width<T, Arch> * width<T, Arch>;
    T sum(0);
    if constexpr (whole > 0) {
        V acc(T(0));
        for (std::size_t i = 0; i < whole; i += width<T, Arch>) acc = acc + simd::abs(simd::load_unaligned<V>(p + i));
        sum = simd::reduce_add(acc);
    }
    for (std::size_t i = whole; i < Count; ++i) sum += simd::abs(p[i]);
    return sum;
}

/// True when none of the `Size` aligned elements at `p` is an infinity or a NaN (see
/// add_finite_residue).
template <class Arch, std::size_t Size, class T>
[[nodiscard]] inline bool all_finite(const T* p) noexcept {
    using V = vector_t<T, Arch>;
    const V zero(T(0));
    return reduce<Arch, Size>(p, [=](const V& acc, const V& x) { return simd::fma(x, zero, acc); }) == T(0);
}

/// The Euclidean norm of the `Size` aligned elements at `p`, sqrt(sum_k p_k^2), as
/// `scale * sqrt(sum)` (ctnn::detail::scaled_norm): correct to a few ulp whenever it is
/// representable, however large or small the elements (1e19 or subnormal in float, 1e300
/// in double), and kept in scaled form beyond that. `sum` is infinite or NaN exactly when
/// an element is.
///
/// A vectorised sum of squares first; when it overflowed, or is so small that squares
/// below T's normal range could matter (below min / epsilon), the elements are summed again
/// with Blue's scaling (detail::sum_of_squares, LAPACK's nrm2). Training gradients take
/// the first pass only.
///
/// Requires: as for `reduce`.
template <class Arch, std::size_t Size, class T>
[[nodiscard]] inline ::ctnn::detail::scaled_norm<T> euclidean_norm(const T* p) noexcept {
    using V = vector_t<T, Arch>;
    using limits = std::numeric_limits<T>;
    const T sum = reduce<Arch, Size>(p, [](const V& acc, const V& x) { return simd::fma(x, x, acc); });
    // Each square that underflowed is off by at most half the smallest subnormal: relative to a sum of
    // min / epsilon or more, Size of them stay below one rounding error (for Size < 2^23 in float).
    if (sum >= limits::min() / limits::epsilon() && sum <= limits::max()) return {T(1), sum};
    ::ctnn::detail::sum_of_squares<T> blue;
    for (std::size_t k = 0; k < Size; ++k) blue.add(p[k]);
    return blue.norm();
}

}  // namespace ctnn::simd
