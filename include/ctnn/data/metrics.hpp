#pragma once

/// @file
/// How well a classifier does on a labelled dataset: the predicted class, accuracy, and
/// ctnn::data::ConfusionMatrix with per-class precision and recall. Hosted only.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/data/metrics.hpp: not available in freestanding builds"
#endif

#include "ctnn/data/dataset.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/workspace.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace ctnn::data {

/// The index of the largest value; the first one when several are equal.
template <class T, std::size_t N>
[[nodiscard]] constexpr std::size_t argmax(const std::array<T, N>& values) noexcept {
    static_assert(N >= 1, "ctnn::data::argmax(values): values must hold at least one element");
    std::size_t best = 0;
    for (std::size_t k = 1; k < N; ++k) {
        if (values[k] > values[best]) best = k;
    }
    return best;
}

namespace detail {

/// The class of the output `y` (see predict_class).
template <class Net>
[[nodiscard]] std::size_t class_of(const typename Net::output_type& y) noexcept {
    if constexpr (Net::output_size == 1) {
        return y[0] >= typename Net::value_type(0.5) ? 1 : 0;
    } else {
        return argmax(y);
    }
}

template <class Net, class T, std::size_t Inputs, std::size_t Outputs>
inline constexpr bool dataset_fits = (Net::input_size == Inputs) && (Net::output_size == Outputs) &&
                                     (std::is_same_v<typename Net::value_type, T>);

}  // namespace detail

/// The class the network predicts for `x`: the argmax of its outputs, or for a network
/// with a single (Sigmoid) output, 1 when the output is at least 0.5 and 0 otherwise.
/// Puts Net::forward_stack_bytes on the stack, as Network::forward(x).
template <class Net>
[[nodiscard]] std::size_t predict_class(const Net& net, const typename Net::input_type& x) noexcept {
    return detail::class_of<Net>(net.forward(x));
}

/// predict_class(net, x) with the workspace's rows as the forward pass's buffers
/// (Network::forward(x, workspace)), for networks too wide for the stack.
template <class Net, std::size_t S>
[[nodiscard]] std::size_t predict_class(const Net& net, const typename Net::input_type& x,
                                        Workspace<Net, S>& workspace) noexcept {
    return detail::class_of<Net>(net.forward(x, workspace));
}

/// Not a prediction: an input of another scalar type or size than the network's stops here
/// with one sentence (ctnn/detail/sample_types.hpp).
template <class Net, class X, class... Rest>
    requires ctnn::detail::WrongSamplesFor<Net, X> std::size_t predict_class(const Net&, const X&, Rest&&...)
noexcept {
    static_assert(!ctnn::detail::WrongSamplesFor<Net, X>,
                  "ctnn::data::predict_class(net, x): " CTNN_DETAIL_SAMPLES_FIX);
    return 0;
}

namespace detail {

/// accuracy() with `predict(x)` for predict_class(net, x).
template <class Net, class T, std::size_t Inputs, std::size_t Outputs, class Predict>
[[nodiscard]] double accuracy(const Dataset<T, Inputs, Outputs>& dataset, Predict&& predict) noexcept {
    static_assert(detail::dataset_fits<Net, T, Inputs, Outputs>,
                  "ctnn::data::accuracy(net, dataset): the dataset's T, Inputs and Outputs must be the network's "
                  "value_type, input_size and output_size; declare it as Dataset<Net::value_type, "
                  "Net::input_size, Net::output_size>");
    if constexpr (detail::dataset_fits<Net, T, Inputs, Outputs>) {  // else only the static_assert speaks
        CTNN_ASSERT(dataset.has_labels() && dataset.valid(),
                    "ctnn::data::accuracy(net, dataset): the dataset must have a label for every sample");
        std::size_t correct = 0;
        for (std::size_t s = 0; s < dataset.size(); ++s) {
            if (predict(dataset.inputs[s]) == dataset.labels[s]) ++correct;
        }
        return static_cast<double>(correct) / static_cast<double>(dataset.size());
    } else {
        return 0.0;
    }
}

}  // namespace detail

/// The fraction of samples whose predicted class (predict_class) is their label.
///
/// Requires: the dataset has labels (so it is not empty); its T, Inputs and Outputs are
/// the network's value_type, input_size and output_size (checked at compile time).
template <class Net, class T, std::size_t Inputs, std::size_t Outputs>
[[nodiscard]] double accuracy(const Net& net, const Dataset<T, Inputs, Outputs>& dataset) noexcept {
    return detail::accuracy<Net>(dataset, [&](const auto& x) { return predict_class(net, x); });
}

/// accuracy(net, dataset) with the workspace's rows as the forward pass's buffers.
template <class Net, class T, std::size_t Inputs, std::size_t Outputs, std::size_t S>
[[nodiscard]] double accuracy(const Net& net, const Dataset<T, Inputs, Outputs>& dataset,
                              Workspace<Net, S>& workspace) noexcept {
    return detail::accuracy<Net>(dataset, [&](const auto& x) { return predict_class(net, x, workspace); });
}

/// Counts of (true class, predicted class) pairs: `counts[truth][predicted]`. Rows are the
/// true classes, columns the predictions, so the diagonal holds the correct predictions.
template <std::size_t Classes>
struct ConfusionMatrix {
    static_assert(Classes >= 1, "ctnn::data::ConfusionMatrix<Classes>: Classes must be at least 1");
    static constexpr std::size_t class_count = Classes;

    std::array<std::array<std::size_t, Classes>, Classes> counts{};

    /// Counts one prediction. Requires: truth < Classes; predicted < Classes.
    constexpr void add(std::size_t truth, std::size_t predicted) noexcept {
        CTNN_ASSERT(truth < Classes && predicted < Classes,
                    "ctnn::data::ConfusionMatrix::add(truth, predicted): both must be less than Classes");
        ++counts[truth][predicted];
    }

    /// All predictions counted.
    [[nodiscard]] constexpr std::size_t total() const noexcept {
        std::size_t sum = 0;
        for (const auto& row : counts) {
            for (std::size_t n : row) sum += n;
        }
        return sum;
    }

    /// The correct predictions (the diagonal).
    [[nodiscard]] constexpr std::size_t correct() const noexcept {
        std::size_t sum = 0;
        for (std::size_t c = 0; c < Classes; ++c) sum += counts[c][c];
        return sum;
    }

    /// Samples whose true class is `c` (row sum), and samples predicted as `c` (column sum).
    [[nodiscard]] constexpr std::size_t actual(std::size_t c) const noexcept {
        std::size_t sum = 0;
        for (std::size_t p = 0; p < Classes; ++p) sum += counts[c][p];
        return sum;
    }
    [[nodiscard]] constexpr std::size_t predicted(std::size_t c) const noexcept {
        std::size_t sum = 0;
        for (std::size_t t = 0; t < Classes; ++t) sum += counts[t][c];
        return sum;
    }

    /// correct() / total(); 0 when nothing was counted.
    [[nodiscard]] constexpr double accuracy() const noexcept { return ratio(correct(), total()); }

    /// Of the samples predicted as `c`, the fraction that are `c`; 0 when none was predicted as `c`.
    /// Requires: c < Classes.
    [[nodiscard]] constexpr double precision(std::size_t c) const noexcept {
        CTNN_ASSERT(c < Classes, "ctnn::data::ConfusionMatrix::precision(c): c must be less than Classes");
        return ratio(counts[c][c], predicted(c));
    }

    /// Of the samples of class `c`, the fraction predicted as `c`; 0 when there are none.
    /// Requires: c < Classes.
    [[nodiscard]] constexpr double recall(std::size_t c) const noexcept {
        CTNN_ASSERT(c < Classes, "ctnn::data::ConfusionMatrix::recall(c): c must be less than Classes");
        return ratio(counts[c][c], actual(c));
    }

    /// A table for a terminal: one row per true class with its recall, one column per
    /// predicted class, a row of precisions, then the accuracy. `names` labels the classes
    /// (iris: setosa, versicolor, virginica); without it they are numbered.
    /// Requires: names is empty or holds Classes names.
    ///
    /// @code
    /// truth \ predicted  setosa  versicolor  virginica  recall
    /// setosa                 12           0          0   1.000
    /// ...
    /// precision           1.000       0.923      1.000
    /// accuracy 0.974 (37 of 38)
    /// @endcode
    [[nodiscard]] std::string to_string(std::span<const std::string> names = {}) const {
        CTNN_ASSERT(names.empty() || names.size() == Classes,
                    "ctnn::data::ConfusionMatrix::to_string(names): give one name per class, or none");
        auto name = [&](std::size_t c) { return names.empty() ? std::to_string(c) : names[c]; };
        auto fixed3 = [](double value) {
            char text[32];
            std::snprintf(text, sizeof text, "%.3f", value);
            return std::string(text);
        };
        const std::string corner = "truth \\ predicted", precision_label = "precision", recall_label = "recall";

        std::size_t first = std::max(corner.size(), precision_label.size());
        std::size_t width = std::max<std::size_t>(recall_label.size(), 5);  // 5: "0.000"
        for (std::size_t c = 0; c < Classes; ++c) {
            first = std::max(first, name(c).size());
            width = std::max(width, name(c).size());
            for (std::size_t n : counts[c]) width = std::max(width, std::to_string(n).size());
        }
        auto left = [](std::string s, std::size_t w) { return s + std::string(w - s.size(), ' '); };
        auto right = [](const std::string& s, std::size_t w) { return std::string(w - s.size() + 2, ' ') + s; };

        std::string out = left(corner, first);
        for (std::size_t p = 0; p < Classes; ++p) out += right(name(p), width);
        out += right(recall_label, width) + '\n';
        for (std::size_t t = 0; t < Classes; ++t) {
            out += left(name(t), first);
            for (std::size_t p = 0; p < Classes; ++p) out += right(std::to_string(counts[t][p]), width);
            out += right(fixed3(recall(t)), width) + '\n';
        }
        out += left(precision_label, first);
        for (std::size_t p = 0; p < Classes; ++p) out += right(fixed3(precision(p)), width);
        out += "\naccuracy " + fixed3(accuracy()) + " (" + std::to_string(correct()) + " of " +
               std::to_string(total()) + ")\n";
        return out;
    }

private:
    static constexpr double ratio(std::size_t part, std::size_t whole) noexcept {
        return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
    }
};

namespace detail {

/// confusion_matrix() with `predict(x)` for predict_class(net, x).
template <class Net, class T, std::size_t Inputs, std::size_t Outputs, class Predict>
[[nodiscard]] ConfusionMatrix<Dataset<T, Inputs, Outputs>::class_count> confusion_matrix(
    const Dataset<T, Inputs, Outputs>& dataset, Predict&& predict) noexcept {
    static_assert(detail::dataset_fits<Net, T, Inputs, Outputs>,
                  "ctnn::data::confusion_matrix(net, dataset): the dataset's T, Inputs and Outputs must be the "
                  "network's value_type, input_size and output_size; declare it as Dataset<Net::value_type, "
                  "Net::input_size, Net::output_size>");
    ConfusionMatrix<Dataset<T, Inputs, Outputs>::class_count> matrix;
    if constexpr (detail::dataset_fits<Net, T, Inputs, Outputs>) {  // else only the static_assert speaks
        CTNN_ASSERT(dataset.has_labels() && dataset.valid(),
                    "ctnn::data::confusion_matrix(net, dataset): the dataset must have a label for every sample");
        for (std::size_t s = 0; s < dataset.size(); ++s) matrix.add(dataset.labels[s], predict(dataset.inputs[s]));
    }
    return matrix;
}

}  // namespace detail

/// The confusion matrix of `net`'s predictions (predict_class) on `dataset`: Outputs
/// classes, or 2 for a single-output network.
///
/// Requires: as for accuracy().
template <class Net, class T, std::size_t Inputs, std::size_t Outputs>
[[nodiscard]] ConfusionMatrix<Dataset<T, Inputs, Outputs>::class_count> confusion_matrix(
    const Net& net, const Dataset<T, Inputs, Outputs>& dataset) noexcept {
    return detail::confusion_matrix<Net>(dataset, [&](const auto& x) { return predict_class(net, x); });
}

/// confusion_matrix(net, dataset) with the workspace's rows as the forward pass's buffers.
template <class Net, class T, std::size_t Inputs, std::size_t Outputs, std::size_t S>
[[nodiscard]] ConfusionMatrix<Dataset<T, Inputs, Outputs>::class_count> confusion_matrix(
    const Net& net, const Dataset<T, Inputs, Outputs>& dataset, Workspace<Net, S>& workspace) noexcept {
    return detail::confusion_matrix<Net>(dataset, [&](const auto& x) { return predict_class(net, x, workspace); });
}

}  // namespace ctnn::data
