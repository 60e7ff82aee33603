#pragma once

/// @file
/// Kernels for a layer of one output (a binary classifier's, a regression's), whose weights are
/// stored as one row: w[i] is the weight from input i, for i < In, and zeros up to whole
/// registers. The general layout (kernels.hpp) keeps a row of Padded outputs per input, which
/// for one output is a register per input with one lane in use: every pass over it (forward,
/// W^T delta, the update) then costs a register operation per input where a row takes one per
/// register of inputs, and the forward and backward would have to gather the one lane back.
/// Here the forward is a dot product (one horizontal sum), W^T delta scales the row, and the
/// update is one fused multiply-add per register of inputs.
///
/// x rows hold at least In values and need not be aligned nor padded: the whole registers among
/// the first In values are loaded, the rest (fewer than a register) run one at a time.

#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/load_weights.hpp"
#include "ctnn/simd/math.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace ctnn::simd {

namespace detail {

/// subtract_scaled_row with a select for every weight, as guarded_outer_product (kernels.hpp) does for a row of
/// outputs: w[i] = fma(-rate x[i], d, keep w[i]) where that is finite, fma(-rate, x[i] d, keep w[i]) where
/// -rate x[i] overflows, and w[i] unchanged where the result is not finite. Out of line and cold: callers take it
/// only when an update may overflow (and builds for size always). While nothing overflows it rounds as the
/// unguarded kernel, bit for bit.
template <class Arch, std::size_t In, class T>
[[gnu::noinline, gnu::cold]] bool guarded_scaled_row(T* w, const T* x, T d, T rate, T keep) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t whole = In / lanes * lanes;
    const V dv(d), minus_rate(-rate), k(keep);
    V rejected(T(0));
    for (std::size_t i = 0; i < whole; i += lanes) {
        const V old = simd::load<V>(w + i);
        const V xv = simd::load_unaligned<V>(x + i);
        const V step = minus_rate * xv;
        const V updated = simd::select(simd::finite_residue(step) == V(T(0)), simd::fma(step, dv, V(old * k)),
                                       simd::fma(minus_rate, V(xv * dv), V(old * k)));
        rejected = simd::store_finite(w + i, updated, old, rejected);
    }
    bool all = simd::reduce_add(rejected) == T(0);
    for (std::size_t i = whole; i < In; ++i) {
        const T step = -rate * x[i];
        const T updated = std::isfinite(step) ? math::detail::fused(step, d, keep * w[i])
                                              : math::detail::fused(-rate, x[i] * d, keep * w[i]);
        if (std::isfinite(updated)) {
            w[i] = updated;
        } else {
            all = false;
        }
    }
    return all;
}

}  // namespace detail

/// z = (b[0] + sum_{i < In} w[i] x[i], 0, ..., 0): the pre-activation of a one-output layer as a row of `Padded`
/// values (one register), the padding lanes zero as the general kernels leave them. `w` (aligned, In values and
/// zeros to whole registers) holds T, or bfloat16 or binary16 (float T; load_weights) widened exactly; `z` is aligned.
/// The products of whole registers of x go to a few partial sums (a shorter dependency chain than one), which meet in a
/// horizontal sum; the last In mod lanes products follow one at a time, then the bias.
template <class Arch, std::size_t In, std::size_t Padded, class T, class W>
inline void row_affine(const W* w, const T* b, const T* x, T* z) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    static_assert(Padded == lanes, "ctnn::simd::row_affine: one output is one register");
    constexpr std::size_t registers = In / lanes;
    T sum(0);
    if constexpr (registers > 0) {
        constexpr std::size_t chains = std::min<std::size_t>(registers, 4);
        V acc[chains];
        CTNN_UNROLL for (std::size_t c = 0; c < chains; ++c) acc[c] = V(T(0));
        for (std::size_t r = 0; r < registers; ++r) {
            acc[r % chains] = simd::fma(simd::load_unaligned<V>(x + r * lanes), simd::load_weights<V>(w + r * lanes),
                                        acc[r % chains]);
        }
        CTNN_UNROLL for (std::size_t c = 1; c < chains; ++c) acc[0] += acc[c];
        sum = simd::reduce_add(acc[0]);
    }
    for (std::size_t i = registers * lanes; i < In; ++i)
        sum = math::detail::fused(x[i], simd::load_weights<T>(w + i), sum);
    const T value = b[0] + sum;
    if constexpr (lanes == 1) {
        simd::store(z, V(value));
    } else {
        // The value in lane 0 of a register, zeros in the others, stored whole (the activation loads it whole, and a
        // register load that spans a scalar store waits until the store reaches the cache).
        alignas(alignment<T, Arch>) static constexpr std::array<T, lanes> first_lane = [] {
            std::array<T, lanes> m{};
            m[0] = T(1);
            return m;
        }();
        simd::store(z, simd::select(simd::load<V>(first_lane.data()) == V(T(1)), V(value), V(T(0))));
    }
}

/// dx[i] = w[i] d for i < In: W^T delta of a one-output layer, exactly In values of `dx` (which need not be
/// aligned); `w` aligned.
template <class Arch, std::size_t In, class T>
inline void scale_row(const T* w, T d, T* dx) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t whole = In / lanes * lanes;
    const V dv(d);
    for (std::size_t i = 0; i < whole; i += lanes) simd::store_unaligned(dx + i, V(simd::load<V>(w + i) * dv));
    for (std::size_t i = whole; i < In; ++i) dx[i] = w[i] * d;
}

/// g[i] += x[i] d for i < In: a one-output layer's weight gradient x delta^T added to `g` (aligned; its padding
/// is left as it is).
template <class Arch, std::size_t In, class T>
inline void add_scaled_row(T* g, const T* x, T d) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t whole = In / lanes * lanes;
    const V dv(d);
    for (std::size_t i = 0; i < whole; i += lanes) {
        simd::store(g + i, simd::fma(simd::load_unaligned<V>(x + i), dv, simd::load<V>(g + i)));
    }
    for (std::size_t i = whole; i < In; ++i) g[i] = math::detail::fused(x[i], d, g[i]);
}

/// One sample's SGD step on a one-output layer's weights: w[i] = fma(-rate x[i], d, keep w[i]) for i < In, the
/// same rounding as subtract_outer_product (kernels.hpp). `Guarded`: a weight whose new value is not finite keeps
/// its value (detail::guarded_scaled_row). Returns true when every weight was updated.
template <class Arch, std::size_t In, bool Guarded, class T>
[[nodiscard]] inline bool subtract_scaled_row(T* w, const T* x, T d, T rate, T keep) noexcept {
    if constexpr (Guarded) {
        return detail::guarded_scaled_row<Arch, In>(w, x, d, rate, keep);
    } else {
        using V = vector_t<T, Arch>;
        constexpr std::size_t lanes = width<T, Arch>;
        constexpr std::size_t whole = In / lanes * lanes;
        const V dv(d), minus_rate(-rate), k(keep);
        // Without decay (the common case) the multiply by keep is left out.
        auto update = [&](auto decays) {
            for (std::size_t i = 0; i < whole; i += lanes) {
                V old = simd::load<V>(w + i);
                if constexpr (decltype(decays)::value) old = old * k;
                simd::store(w + i, simd::fma(V(minus_rate * simd::load_unaligned<V>(x + i)), dv, old));
            }
            for (std::size_t i = whole; i < In; ++i) {
                w[i] = math::detail::fused(-rate * x[i], d, decltype(decays)::value ? keep * w[i] : w[i]);
            }
        };
        if (keep == T(1)) {
            update(std::false_type{});
        } else {
            update(std::true_type{});
        }
        return true;
    }
}

}  // namespace ctnn::simd
