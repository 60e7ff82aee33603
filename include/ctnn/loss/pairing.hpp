#pragma once

/// @file
/// Which loss trains which output unit. Each pair is computed in fused form from the
/// logits, so the gradient at the output is simply y - t.

#include "ctnn/activation/identity.hpp"
#include "ctnn/activation/sigmoid.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/loss/binary_cross_entropy.hpp"
#include "ctnn/loss/categorical_cross_entropy.hpp"
#include "ctnn/loss/mean_squared_error.hpp"
#include "ctnn/loss/mse_loss.hpp"

#include <concepts>
#include <type_traits>

namespace ctnn {

/// A loss ctnn can train with.
template <class L>
concept Loss = std::same_as<L, MeanSquaredError> || std::same_as<L, MSELoss> || std::same_as<L, BinaryCrossEntropy> ||
    std::same_as<L, CategoricalCrossEntropy>;

/// True when `L` trains an output layer of activation `Out`.
template <class L, class Out>
inline constexpr bool loss_pairs_with = ((std::is_same_v<L, MeanSquaredError> ||
                                          std::is_same_v<L, MSELoss>)&&std::is_same_v<Out, Linear>) ||
                                        (std::is_same_v<L, BinaryCrossEntropy> && std::is_same_v<Out, Sigmoid>) ||
                                        (std::is_same_v<L, CategoricalCrossEntropy> && std::is_same_v<Out, Softmax>);

namespace detail {

/// One sentence for a wrong pairing, named after the output unit when it has a partner,
/// otherwise after the loss.
template <class L, class Out>
constexpr void check_loss_pairing() {
    static_assert(Loss<L>,
                  "ctnn: the loss must be ctnn::MeanSquaredError, ctnn::MSELoss, ctnn::BinaryCrossEntropy or "
                  "ctnn::CategoricalCrossEntropy");
    if constexpr (Loss<L> && !loss_pairs_with<L, Out>) {
        if constexpr (std::is_same_v<Out, Softmax>) {
            static_assert(loss_pairs_with<L, Out>,
                          "ctnn::Softmax: a Softmax output layer needs ctnn::CategoricalCrossEntropy as its loss");
        } else if constexpr (std::is_same_v<Out, Sigmoid>) {
            static_assert(loss_pairs_with<L, Out>,
                          "ctnn::Sigmoid: a Sigmoid output layer needs ctnn::BinaryCrossEntropy as its loss");
        } else if constexpr (std::is_same_v<Out, Linear>) {
            static_assert(
                loss_pairs_with<L, Out>,
                "ctnn::Linear: a Linear output layer needs ctnn::MeanSquaredError or ctnn::MSELoss as its loss");
        } else if constexpr (std::is_same_v<L, MeanSquaredError>) {
            static_assert(loss_pairs_with<L, Out>, "ctnn::MeanSquaredError: the output layer must use ctnn::Linear");
        } else if constexpr (std::is_same_v<L, MSELoss>) {
            static_assert(loss_pairs_with<L, Out>, "ctnn::MSELoss: the output layer must use ctnn::Linear");
        } else if constexpr (std::is_same_v<L, BinaryCrossEntropy>) {
            static_assert(loss_pairs_with<L, Out>, "ctnn::BinaryCrossEntropy: the output layer must use ctnn::Sigmoid");
        } else {
            static_assert(loss_pairs_with<L, Out>,
                          "ctnn::CategoricalCrossEntropy: the output layer must use ctnn::Softmax");
        }
    }
}

}  // namespace detail
}  // namespace ctnn
