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

/// z for z >= 0, slope * z otherwise, with a fixed `Slope` (a `std::ratio`). Users write
/// `ctnn::LeakyReLU` (slope 1/100, torch.nn.LeakyReLU's default) or
/// `ctnn::LeakyReLU::with<Slope>`, both specialisations of this template. Each `with` here takes
/// its ratios reduced, so `LeakyReLU::with<std::ratio<2, 200>>` is `LeakyReLU`.
template <class Slope>
struct BasicLeakyReLU {
    template <class OtherSlope>
    using with = BasicLeakyReLU<typename OtherSlope::type>;

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

/// The leaky ReLU with the slope 1/100 of torch.nn.LeakyReLU; `LeakyReLU::with<Slope>` sets another.
using LeakyReLU = BasicLeakyReLU<std::ratio<1, 100>>;

/// Parametric ReLU: a leaky rectifier whose negative slope is a parameter of each unit,
/// learned with the weights. Slopes start at `InitialSlope` (a `std::ratio`) and sit after
/// the layer's bias in the canonical parameter order. Users write `ctnn::PReLU` (initial
/// slope 1/4, torch.nn.PReLU's default) or `ctnn::PReLU::with<InitialSlope>`.
template <class InitialSlope>
struct BasicPReLU : detail::sloped_rectifier {
    template <class OtherInitialSlope>
    using with = BasicPReLU<typename OtherInitialSlope::type>;

    static constexpr bool slope_is_learned = true;
    using initial_slope = InitialSlope;
};

/// The parametric ReLU with torch.nn.PReLU's initial slope 1/4; `PReLU::with<InitialSlope>` sets another.
using PReLU = BasicPReLU<std::ratio<1, 4>>;

/// Randomized leaky ReLU: while training, each unit's negative slope is drawn uniformly
/// from [Lower, Upper] at every step; at inference it is the mean (Lower + Upper) / 2.
/// Users write `ctnn::RReLU` (1/8 and 1/3, torch.nn.RReLU's defaults) or
/// `ctnn::RReLU::with<Lower, Upper>`.
template <class Lower, class Upper>
struct BasicRReLU : detail::sloped_rectifier {
    static_assert(std::ratio_less_equal_v<Lower, Upper>,
                  "ctnn::RReLU::with<Lower, Upper>: Lower must not exceed Upper");

    template <class OtherLower, class OtherUpper>
    using with = BasicRReLU<typename OtherLower::type, typename OtherUpper::type>;

    static constexpr bool slope_is_learned = false;
    using lower = Lower;
    using upper = Upper;
    using mean_slope = std::ratio_divide<std::ratio_add<Lower, Upper>, std::ratio<2>>;
};

/// The randomized leaky ReLU with torch.nn.RReLU's bounds 1/8 and 1/3; `RReLU::with<Lower, Upper>` sets others.
using RReLU = BasicRReLU<std::ratio<1, 8>, std::ratio<1, 3>>;

}  // namespace ctnn
