#pragma once

/// @file
/// The Euclidean norm of a network's gradients, and gradient-norm clipping.

#include "ctnn/detail/sum_of_squares.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/simd/reduce.hpp"

#include <cmath>

namespace ctnn {

namespace detail {

/// The norm of all gradients together, in scaled form (see simd::euclidean_norm).
template <class Net>
[[nodiscard]] scaled_norm<typename Net::value_type> gradient_norm_parts(const Gradients<Net>& gradients) noexcept {
    return simd::euclidean_norm<typename Net::arch_type, Net::storage_size>(gradients.storage().data());
}

/// Scales `gradients`, whose norm is `norm`, to the norm `max_norm` when it is above it and
/// every gradient is finite: g <- (g / scale) (max_norm / sqrt(sum)). Dividing by the power of
/// two `scale` first is exact and sqrt(sum) stays far from T's limits, so the result is right
/// even where the norm itself is beyond the largest T (four float gradients of 3e38: 6e38).
template <class Net>
void clip_to(Gradients<Net>& gradients, const scaled_norm<typename Net::value_type>& norm,
             typename Net::value_type max_norm) noexcept {
    using T = typename Net::value_type;
    if (!norm.finite() || !(norm.value() > max_norm)) return;
    const T factor = max_norm / std::sqrt(norm.sum);
    if (norm.scale == T(1)) {
        for (T& g : gradients.storage()) g *= factor;
    } else {
        const T unscale = T(1) / norm.scale;
        for (T& g : gradients.storage()) g = (g * unscale) * factor;
    }
}

}  // namespace detail

/// The Euclidean norm of all gradients together, sqrt(sum_k g_k^2) over every parameter.
/// Computed without overflow or underflow in between (Blue's scaling, as LAPACK's nrm2,
/// where a plain sum of squares would leave T's range): finite whenever the norm is
/// representable, +inf only when it exceeds the largest T or a gradient is infinite, NaN
/// when a gradient is NaN. Four float gradients of 1e19 have the norm 2e19.
template <class Net>
[[nodiscard]] typename Net::value_type gradient_norm(const Gradients<Net>& gradients) noexcept {
    return detail::gradient_norm_parts(gradients).value();
}

/// Gradient-norm clipping: when the gradients' norm is above `max_norm`, scales them by
/// max_norm / norm, so that their norm is `max_norm` (up to rounding); otherwise leaves them
/// as they are. Returns the norm before (as gradient_norm).
///
/// Gradients of any finite size are scaled right, also when their norm itself is beyond
/// the largest T (then +inf is returned). Gradients that are not all finite (the returned
/// norm is +inf or NaN) are left unchanged: no factor would give them a finite norm.
template <class Net>
typename Net::value_type clip_gradient_norm(Gradients<Net>& gradients, typename Net::value_type max_norm) noexcept {
    const auto norm = detail::gradient_norm_parts(gradients);
    detail::clip_to(gradients, norm, max_norm);
    return norm.value();
}

}  // namespace ctnn
