#pragma once

/// @file
/// The rectifier family: ReLU, LeakyReLU (fixed slope), PReLU (learned slope per unit) and
/// RReLU (random slope per unit while training, the mean slope at inference).

#include "ctnn/simd/ops.hpp"

#include <ratio>

namespace ctnn {

/// max(z, 0). Its derivative is taken as 1 at z = 0.
struct ReLU {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::max(z, V(0));
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& /*y*/) noexcept {
        return simd::select(z >= V(0), V(1), V(0));
    }
};

/// z for z >= 0, slope * z otherwise, with a fixed `Slope` (a `std::ratio`, default 1/100).
template <class Slope = std::ratio<1, 100>>
struct LeakyReLU {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return simd::select(z >= V(0), z, simd::ratio_value<V, Slope>() * z);
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& /*y*/) noexcept {
        return simd::select(z >= V(0), V(1), simd::ratio_value<V, Slope>());
    }
};

namespace detail {
/// z for z >= 0, a * z otherwise, with the slope `a` given per unit.
struct sloped_rectifier {
    template <class V>
    [[nodiscard]] static V value(const V& z, const V& a) noexcept {
        return simd::select(z >= V(0), z, a * z);
    }
    /// d value / d z.
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& a) noexcept {
        return simd::select(z >= V(0), V(1), a);
    }
    /// d value / d a.
    template <class V>
    [[nodiscard]] static V slope_derivative(const V& z) noexcept {
        return simd::min(z, V(0));
    }
};
}  // namespace detail

/// Parametric ReLU: a leaky rectifier whose negative slope is a parameter of each unit,
/// learned with the weights. Slopes start at `InitialSlope` (a `std::ratio`, default 1/4)
/// and sit after the layer's bias in the canonical parameter order.
template <class InitialSlope = std::ratio<1, 4>>
struct PReLU : detail::sloped_rectifier {
    static constexpr bool slope_is_learned = true;
    using initial_slope = InitialSlope;
};

/// Randomized leaky ReLU: while training, each unit's negative slope is drawn uniformly
/// from [Lower, Upper] at every step; at inference it is the mean (Lower + Upper) / 2.
/// Defaults are 1/8 and 1/3.
template <class Lower = std::ratio<1, 8>, class Upper = std::ratio<1, 3>>
struct RReLU : detail::sloped_rectifier {
    static_assert(std::ratio_less_equal_v<Lower, Upper>, "ctnn::RReLU<Lower, Upper>: Lower must not exceed Upper");
    static constexpr bool slope_is_learned = false;
    using lower = Lower;
    using upper = Upper;
    using mean_slope = std::ratio_divide<std::ratio_add<Lower, Upper>, std::ratio<2>>;
};

}  // namespace ctnn
