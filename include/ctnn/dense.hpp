#pragma once

#include "ctnn/activation/traits.hpp"

#include <cstddef>

namespace ctnn {

/// A fully connected layer of `Units` units with activation `Act`. A descriptor only: the
/// network binds it to its input width and scalar type (see detail/dense_layer.hpp).
template <std::size_t Units, class Act>
struct Dense {
    static_assert(Units >= 1, "ctnn::Dense<Units, Act>: Units must be at least 1");
    static_assert(Activation<Act>,
                  "ctnn::Dense<Units, Act>: Act must be an activation such as ctnn::ReLU, ctnn::Tanh, "
                  "ctnn::Sigmoid, ctnn::Linear or ctnn::Softmax");
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
