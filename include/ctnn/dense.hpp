#pragma once

#include "ctnn/activation/traits.hpp"

#include <cstddef>
#include <type_traits>

namespace ctnn {

template <class Slope>
struct BasicLeakyReLU;
template <class Alpha>
struct BasicELU;
template <class Beta>
struct BasicSwish;
template <class InitialSlope>
struct BasicPReLU;
template <class Lower, class Upper>
struct BasicRReLU;

namespace detail {
/// ctnn's own parametric activations check their parameters themselves. When that check
/// fails, clang no longer sees the type as an Activation, and Dense must not add a second,
/// wrong sentence.
template <class A>
inline constexpr bool is_parametric_activation = false;
template <class P>
inline constexpr bool is_parametric_activation<BasicLeakyReLU<P>> = true;
template <class P>
inline constexpr bool is_parametric_activation<BasicELU<P>> = true;
template <class P>
inline constexpr bool is_parametric_activation<BasicSwish<P>> = true;
template <class P>
inline constexpr bool is_parametric_activation<BasicPReLU<P>> = true;
template <class L, class U>
inline constexpr bool is_parametric_activation<BasicRReLU<L, U>> = true;

/// softmax(z) over a single z is e^z / e^z = 1 whatever z is: the output, the loss and the gradient are constant.
template <std::size_t Units, class Act>
inline constexpr bool is_single_unit_softmax = Units == 1 && std::is_same_v<Act, Softmax>;
}  // namespace detail

/// A fully connected layer of `Units` units with activation `Act`. A descriptor only: the
/// network binds it to its input width and scalar type (see detail/dense_layer.hpp).
template <std::size_t Units, class Act>
struct Dense {
    static_assert(Units >= 1, "ctnn::Dense<Units, Act>: Units must be at least 1");
    static_assert(Activation<Act> || detail::is_parametric_activation<Act>,
                  "ctnn::Dense<Units, Act>: Act must be an activation such as ctnn::ReLU, ctnn::Tanh, "
                  "ctnn::Sigmoid, ctnn::Linear or ctnn::Softmax");
    static_assert(!detail::is_single_unit_softmax<Units, Act>,
                  "ctnn::Dense<1, Softmax>: a Softmax over one unit always outputs 1 and learns nothing; for one "
                  "probability use ctnn::Dense<1, ctnn::Sigmoid> with ctnn::BinaryCrossEntropy");
    static constexpr std::size_t units = Units;
    using activation = Act;
};

namespace detail {
template <class S>
inline constexpr bool is_dense_spec = false;
template <std::size_t Units, class Act>
inline constexpr bool is_dense_spec<Dense<Units, Act>> = true;
}  // namespace detail

}  // namespace ctnn
