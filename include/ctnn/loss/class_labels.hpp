#pragma once

/// @file
/// Class-index targets: one integer per sample instead of a target array, as PyTorch's
/// CrossEntropyLoss takes them. A label stands for the target array it encodes, and the losses
/// see exactly that array, so both forms give the same losses and gradients bit for bit:
/// - ctnn::CategoricalCrossEntropy (Softmax output of n units): class c in [0, n) is the
///   one-hot array, 1 at c and 0 elsewhere;
/// - ctnn::BinaryCrossEntropy with one Sigmoid output: label 0 or 1 (or false, true) is the
///   array {0} or {1}.
/// A label outside that range is bad data, not a target: ctnn::backward and ctnn::loss stop
/// at it (CTNN_ASSERT, always on), ctnn::Trainer and ctnn::fused_sgd_step refuse the step
/// with StepStatus::invalid_target.

#include "ctnn/loss/binary_cross_entropy.hpp"
#include "ctnn/loss/categorical_cross_entropy.hpp"

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <ranges>
#include <span>
#include <type_traits>

namespace ctnn {

/// A class label: any integer type, or bool.
template <class L>
concept ClassLabel = std::integral<L>;

/// Class labels for a batch: a contiguous sequence of ClassLabel, such as std::vector<std::size_t>
/// (ctnn::data::Dataset::labels), std::array<bool, N> or std::span<const int>. Not
/// std::vector<bool>, which is not contiguous: use std::vector<std::uint8_t>.
template <class R>
concept ClassLabels = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    ClassLabel<std::remove_cv_t<std::ranges::range_value_t<R>>>;

/// How many classes a label may name when `Net` is trained with `Loss`: the outputs of a
/// Softmax with CategoricalCrossEntropy, 2 for one Sigmoid output with BinaryCrossEntropy,
/// 0 where labels have no meaning.
template <class Loss, class Net>
inline constexpr std::size_t label_classes = std::is_same_v<Loss, CategoricalCrossEntropy> ? Net::output_size
                                             : std::is_same_v<Loss, BinaryCrossEntropy>&& Net::output_size == 1 ? 2
                                                                                                                : 0;

/// True when `label` names one of `Classes` classes: 0 <= label < Classes.
template <std::size_t Classes, ClassLabel L>
[[nodiscard]] constexpr bool label_in_range(L label) noexcept {
    if constexpr (std::is_signed_v<L>) {
        if (label < 0) return false;
    }
    return static_cast<std::uintmax_t>(label) < Classes;
}

/// True when every label of `labels` names one of the classes of `Net` trained with `Loss`.
template <class Loss, class Net, ClassLabel L>
[[nodiscard]] constexpr bool labels_in_range(std::span<const L> labels) noexcept {
    return std::all_of(labels.begin(), labels.end(),
                       [](L label) { return label_in_range<label_classes<Loss, Net>>(label); });
}

namespace detail {

/// One sentence when labels cannot stand for `Loss`'s targets.
template <class Loss, class Net>
constexpr void check_class_labels() {
    if constexpr (std::is_same_v<Loss, BinaryCrossEntropy>) {
        static_assert(Net::output_size == 1,
                      "ctnn::BinaryCrossEntropy: 0/1 label targets need one Sigmoid output; give several outputs "
                      "target arrays of 0s and 1s");
    } else {
        static_assert(std::is_same_v<Loss, CategoricalCrossEntropy>,
                      "ctnn: class-index targets need ctnn::CategoricalCrossEntropy (Softmax output) or "
                      "ctnn::BinaryCrossEntropy (one Sigmoid output); give other losses target arrays");
    }
}

/// `labels` as a span of its label type.
template <ClassLabels Labels>
[[nodiscard]] constexpr auto label_span(const Labels& labels) noexcept {
    return std::span<const std::remove_cv_t<std::ranges::range_value_t<Labels>>>(labels);
}

/// Targets given as arrays: row s is targets[s].
template <class Net>
struct target_rows {
    const typename Net::output_type* targets;
    [[nodiscard]] const typename Net::value_type* row(std::size_t s) noexcept { return targets[s].data(); }
};

/// Targets given as labels: row s is the array labels[s] encodes (see the file), written
/// into one row that the next call overwrites. Requires: every label in range.
template <class Net, ClassLabel L>
struct target_labels {
    const L* labels;
    typename Net::output_type encoded{};
    [[nodiscard]] const typename Net::value_type* row(std::size_t s) noexcept {
        using T = typename Net::value_type;
        if constexpr (Net::output_size == 1) {
            encoded[0] = static_cast<T>(static_cast<std::size_t>(labels[s]));
        } else {
            encoded.fill(T(0));
            encoded[static_cast<std::size_t>(labels[s])] = T(1);
        }
        return encoded.data();
    }
};

}  // namespace detail
}  // namespace ctnn
