#pragma once

/// @file
/// What an activation is. Three shapes exist:
/// - an *elementwise* activation: `V value(V z)` and `V derivative(V z, V y)` with
///   y = value(z), both for a scalar or an xsimd batch `V`;
/// - a *sloped* activation (PReLU, RReLU): `value(z, slope)`, `derivative(z, slope)` and
///   `slope_derivative(z)`, where the slope per unit is learned or drawn at random;
/// - `Softmax`, which couples the units and so is only an output unit.

#include <concepts>
#include <type_traits>

namespace ctnn {

struct Softmax;

/// An activation applied unit by unit with no parameters of its own.
template <class A>
concept ElementwiseActivation = requires(float z, float y, double zd, double yd) {
    { A::value(z) } -> std::same_as<float>;
    { A::derivative(z, y) } -> std::same_as<float>;
    { A::value(zd) } -> std::same_as<double>;
    { A::derivative(zd, yd) } -> std::same_as<double>;
};

/// A leaky rectifier whose negative slope is one value per unit, either a learned
/// parameter (`A::slope_is_learned`, PReLU) or drawn at random while training (RReLU).
template <class A>
concept SlopedActivation = requires(float z, float a) {
    { A::value(z, a) } -> std::same_as<float>;
    { A::derivative(z, a) } -> std::same_as<float>;
    { A::slope_derivative(z) } -> std::same_as<float>;
    { A::slope_is_learned } -> std::convertible_to<bool>;
};

/// Anything `ctnn::Dense<Units, A>` accepts.
template <class A>
concept Activation = ElementwiseActivation<A> || SlopedActivation<A> || std::same_as<A, Softmax>;

/// True for an activation with a learned slope per unit (stored with the parameters).
template <class A>
inline constexpr bool has_learned_slope = [] {
    if constexpr (SlopedActivation<A>) {
        return A::slope_is_learned;
    } else {
        return false;
    }
}();

/// True for an activation whose slope is drawn at random in training (RReLU).
template <class A>
inline constexpr bool has_random_slope = [] {
    if constexpr (SlopedActivation<A>) {
        return !A::slope_is_learned;
    } else {
        return false;
    }
}();

}  // namespace ctnn
