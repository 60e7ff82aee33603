#pragma once

/// @file
/// ctnn::data::Dataset: samples shaped for a fixed-size network (inputs, targets and class
/// labels), built from a CSV table, shuffled, and split into a training and a test set.
/// Hosted only.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/data/dataset.hpp: not available in freestanding builds"
#endif

#include "ctnn/io/csv.hpp"
#include "ctnn/random.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn::data {

/// The target vector of class `label` among `Classes`: 1 at `label`, 0 elsewhere.
/// Requires: label < Classes.
template <std::size_t Classes, std::floating_point T = double>
[[nodiscard]] constexpr std::array<T, Classes> one_hot(std::size_t label) noexcept {
    static_assert(Classes >= 1, "ctnn::data::one_hot<Classes>(label): Classes must be at least 1");
    CTNN_ASSERT(label < Classes, "ctnn::data::one_hot<Classes>(label): label must be less than Classes");
    std::array<T, Classes> target{};
    target[label] = T(1);
    return target;
}

/// Samples for a network with `Inputs` inputs and `Outputs` outputs, in parallel vectors:
/// `inputs[s]` and `targets[s]` are the network's input_type and output_type for sample s.
/// For classification, `labels[s]` is the class of sample s and `targets[s]` its encoding:
/// one_hot<Outputs>(label) for a Softmax output, or {label} (0 or 1) for a single Sigmoid
/// output. For regression `labels` is empty.
///
/// Invariant (checked by the functions here): inputs.size() == targets.size(), and labels
/// is empty or of the same size.
template <std::floating_point T, std::size_t Inputs, std::size_t Outputs>
struct Dataset {
    static_assert(Inputs >= 1, "ctnn::data::Dataset<T, Inputs, Outputs>: Inputs must be at least 1");
    static_assert(Outputs >= 1, "ctnn::data::Dataset<T, Inputs, Outputs>: Outputs must be at least 1");

    using value_type = T;
    using input_type = std::array<T, Inputs>;
    using target_type = std::array<T, Outputs>;
    static constexpr std::size_t input_size = Inputs;
    static constexpr std::size_t output_size = Outputs;
    /// The classes a label may name: Outputs, or 2 for a single (sigmoid) output.
    static constexpr std::size_t class_count = Outputs == 1 ? 2 : Outputs;

    std::vector<input_type> inputs;
    std::vector<target_type> targets;
    std::vector<std::size_t> labels;

    [[nodiscard]] std::size_t size() const noexcept { return inputs.size(); }
    [[nodiscard]] bool empty() const noexcept { return inputs.empty(); }
    [[nodiscard]] bool has_labels() const noexcept { return !labels.empty(); }

    /// True when the vectors have consistent lengths and every label is below class_count.
    [[nodiscard]] bool valid() const noexcept {
        if (targets.size() != inputs.size() || (!labels.empty() && labels.size() != inputs.size())) return false;
        return std::all_of(labels.begin(), labels.end(), [](std::size_t label) { return label < class_count; });
    }

    /// The target that encodes class `label`. Requires: label < class_count.
    [[nodiscard]] static constexpr target_type target_of(std::size_t label) noexcept {
        CTNN_ASSERT(label < class_count, "ctnn::data::Dataset::target_of(label): label must be less than class_count");
        if constexpr (Outputs == 1) {
            return target_type{static_cast<T>(label)};
        } else {
            return one_hot<Outputs, T>(label);
        }
    }

    /// Appends a regression sample. Requires: the dataset has no labels.
    void add(const input_type& input, const target_type& target) {
        CTNN_ASSERT(labels.empty(),
                    "ctnn::data::Dataset::add(input, target): the dataset has labels; add(input, label)");
        inputs.push_back(input);
        targets.push_back(target);
    }

    /// Appends a classification sample, its target encoded from `label`.
    /// Requires: label < class_count; every sample so far has a label.
    void add(const input_type& input, std::size_t label) {
        CTNN_ASSERT(labels.size() == inputs.size(),
                    "ctnn::data::Dataset::add(input, label): the dataset has samples without labels");
        inputs.push_back(input);
        targets.push_back(target_of(label));
        labels.push_back(label);
    }
};

/// The dataset of network `Net`: its value_type, input_size and output_size, so that
/// `dataset.inputs` and `dataset.targets` go straight into Trainer::train_epoch,
/// Network::forward and ctnn::backward.
template <class Net>
using DatasetFor = Dataset<typename Net::value_type, Net::input_size, Net::output_size>;

/// Why from_table() cannot build a Dataset from a CsvTable.
struct DatasetError {
    enum class Kind {
        column_count,        ///< the table's columns do not match the dataset's Inputs (and Outputs)
        label_out_of_range,  ///< a label names no class of the dataset
        value_out_of_range,  ///< a value is too large in magnitude for the dataset's T (a double table, float T)
    };

    Kind kind = Kind::column_count;
    /// The table's source (its file).
    std::string source;
    /// For label_out_of_range and value_out_of_range: the 1-based line of the row in the file.
    std::size_t line = 0;
    /// For label_out_of_range: the label.
    std::size_t label = 0;
    /// For value_out_of_range: the 1-based feature column (the label column not counted),
    /// and the dataset's T ("float", "double" or "long double").
    std::size_t column = 0;
    std::string type;
    /// For label_out_of_range: the number of classes; for column_count: the columns the
    /// dataset takes.
    std::size_t expected = 0;
    /// For column_count: the table's columns.
    std::size_t found = 0;
    /// Whether the table has labels (for column_count: the targets then come from them).
    bool labelled = false;

    /// One line for a person, e.g. `digits.csv:17: class label 12 is out of range: the
    /// dataset has 10 classes (labels 0 to 9)`.
    [[nodiscard]] std::string message() const {
        std::string where = source;
        if (line != 0) where += ':' + std::to_string(line);
        where += ": ";
        switch (kind) {
            case Kind::column_count:
                return where + "the table has " + std::to_string(found) + (labelled ? " feature columns" : " columns") +
                       ", but the dataset takes " + std::to_string(expected) +
                       (labelled ? " (its inputs; the targets come from the labels)"
                                 : " (its inputs followed by its targets)");
            case Kind::label_out_of_range:
                return where + "class label " + std::to_string(label) + " is out of range: the dataset has " +
                       std::to_string(expected) + " classes (labels 0 to " + std::to_string(expected - 1) + ")";
            case Kind::value_out_of_range:
                return where + "feature " + std::to_string(column) + " is too large in magnitude for " + type +
                       ", the dataset's type";
        }
        return where + "unknown error";
    }
};

namespace detail {

template <class T>
inline constexpr const char* type_name = std::is_same_v<T, float>    ? "float"
                                         : std::is_same_v<T, double> ? "double"
                                                                     : "long double";

/// from_table's work for a dataset of T from a table of U: U's values are converted to T, and
/// one beyond T's range is an error (a double table read for a float network).
template <std::floating_point T, std::size_t Inputs, std::size_t Outputs, std::floating_point U>
[[nodiscard]] io::Result<Dataset<T, Inputs, Outputs>, DatasetError> from_table(const io::CsvTable<U>& table) {
    using D = Dataset<T, Inputs, Outputs>;
    const bool labelled = table.has_labels();
    const std::size_t columns = labelled ? Inputs : Inputs + Outputs;
    DatasetError error;
    error.source = table.source;
    error.labelled = labelled;
    if (table.columns != columns) {
        error.kind = DatasetError::Kind::column_count;
        error.expected = columns;
        error.found = table.columns;
        return error;
    }
    CTNN_ASSERT(table.values.size() == table.rows * table.columns && (!labelled || table.labels.size() == table.rows),
                "ctnn::data::from_table(table): the table's rows, columns, values and labels disagree");

    D dataset;
    dataset.inputs.resize(table.rows);
    dataset.targets.resize(table.rows);
    if (labelled) dataset.labels = table.labels;
    for (std::size_t r = 0; r < table.rows; ++r) {
        const U* row = table.values.data() + r * columns;
        error.line = r < table.lines.size() ? table.lines[r] : 0;
        if constexpr (std::numeric_limits<U>::max() > std::numeric_limits<T>::max()) {
            for (std::size_t c = 0; c < columns; ++c) {
                if (std::abs(row[c]) > static_cast<U>(std::numeric_limits<T>::max())) {
                    error.kind = DatasetError::Kind::value_out_of_range;
                    error.column = c + 1;
                    error.type = type_name<T>;
                    return error;
                }
            }
        }
        std::transform(row, row + Inputs, dataset.inputs[r].begin(), [](U v) { return static_cast<T>(v); });
        if (!labelled) {
            std::transform(row + Inputs, row + columns, dataset.targets[r].begin(),
                           [](U v) { return static_cast<T>(v); });
        } else if (table.labels[r] < D::class_count) {
            dataset.targets[r] = D::target_of(table.labels[r]);
        } else {
            error.kind = DatasetError::Kind::label_out_of_range;
            error.label = table.labels[r];
            error.expected = D::class_count;
            return error;
        }
    }
    return dataset;
}

}  // namespace detail

/// The dataset in a CSV table.
///
/// A table with labels gives a classification set: `Inputs` feature columns, the targets
/// encoded from the labels (Dataset::target_of), which must be below Outputs (below 2 when
/// Outputs is 1). A table without labels gives a regression set: `Inputs + Outputs`
/// columns, the first Inputs the input and the rest the target.
///
/// @return the dataset, or a DatasetError; nothing partial.
template <std::size_t Inputs, std::size_t Outputs, std::floating_point T>
[[nodiscard]] io::Result<Dataset<T, Inputs, Outputs>, DatasetError> from_table(const io::CsvTable<T>& table) {
    return detail::from_table<T, Inputs, Outputs>(table);
}

/// The dataset of network `Net` in a CSV table: a DatasetFor<Net> (Net's value_type,
/// input_size and output_size), whatever the table's type, so a table read with
/// io::read_csv's default (double) trains a float network. Columns and labels as for
/// from_table<Inputs, Outputs>.
///
/// @return the dataset, or a DatasetError (also value_out_of_range: a value too large in
/// magnitude for Net::value_type; smaller ones round to the nearest value of it); nothing partial.
template <class Net, std::floating_point U>
    requires requires {
        typename Net::value_type;
        Net::input_size;
        Net::output_size;
    }
[[nodiscard]] io::Result<DatasetFor<Net>, DatasetError> from_table(const io::CsvTable<U>& table) {
    return detail::from_table<typename Net::value_type, Net::input_size, Net::output_size>(table);
}

/// The samples at `indices`, in that order (labels too, when the dataset has them).
/// Requires: every index < dataset.size().
template <class T, std::size_t Inputs, std::size_t Outputs>
[[nodiscard]] Dataset<T, Inputs, Outputs> subset(const Dataset<T, Inputs, Outputs>& dataset,
                                                 std::span<const std::size_t> indices) {
    CTNN_ASSERT(dataset.valid(), "ctnn::data::subset(dataset, indices): the dataset is not valid()");
    Dataset<T, Inputs, Outputs> result;
    result.inputs.reserve(indices.size());
    result.targets.reserve(indices.size());
    if (dataset.has_labels()) result.labels.reserve(indices.size());
    for (std::size_t i : indices) {
        CTNN_ASSERT(i < dataset.size(), "ctnn::data::subset(dataset, indices): an index is out of range");
        result.inputs.push_back(dataset.inputs[i]);
        result.targets.push_back(dataset.targets[i]);
        if (dataset.has_labels()) result.labels.push_back(dataset.labels[i]);
    }
    return result;
}

namespace detail {

/// Fisher-Yates over n items: calls swap(a, b) to put them in a uniformly random order.
template <class Swap>
void fisher_yates(std::size_t n, Random& random, Swap&& swap) noexcept {
    CTNN_ASSERT(n <= std::size_t{UINT32_MAX}, "ctnn::data: at most 2^32 - 1 samples can be shuffled");
    for (std::size_t i = n; i > 1; --i) {
        const std::size_t j = random.below(static_cast<std::uint32_t>(i));  // j in [0, i - 1]
        swap(i - 1, j);
    }
}

template <class U>
void shuffle_indices(std::vector<U>& items, Random& random) noexcept {
    fisher_yates(items.size(), random, [&](std::size_t a, std::size_t b) { std::swap(items[a], items[b]); });
}

}  // namespace detail

/// Puts the samples in a uniformly random order (Fisher-Yates, drawing with random.below),
/// keeping each input with its target and label. The same seed gives the same order.
template <class T, std::size_t Inputs, std::size_t Outputs>
void shuffle(Dataset<T, Inputs, Outputs>& dataset, Random& random) noexcept {
    CTNN_ASSERT(dataset.valid(), "ctnn::data::shuffle(dataset, random): the dataset is not valid()");
    const bool labelled = dataset.has_labels();
    detail::fisher_yates(dataset.size(), random, [&](std::size_t a, std::size_t b) {
        std::swap(dataset.inputs[a], dataset.inputs[b]);
        std::swap(dataset.targets[a], dataset.targets[b]);
        if (labelled) std::swap(dataset.labels[a], dataset.labels[b]);
    });
}

/// A dataset split in two, from split().
template <class T, std::size_t Inputs, std::size_t Outputs>
struct Split {
    Dataset<T, Inputs, Outputs> train;
    Dataset<T, Inputs, Outputs> test;
};

/// Splits `dataset` at random into a training set of round(train_fraction * size) samples
/// and a test set of the rest, each in random order.
///
/// When `stratified` and the dataset has labels, every class is split in the same
/// proportion: a class of n samples puts floor(train_fraction * n) or one more in the
/// training set (the extra samples go to the classes with the largest remainders, so the
/// total is still round(train_fraction * size)).
///
/// Requires: 0 <= train_fraction <= 1; dataset.valid().
template <class T, std::size_t Inputs, std::size_t Outputs>
[[nodiscard]] Split<T, Inputs, Outputs> split(const Dataset<T, Inputs, Outputs>& dataset, double train_fraction,
                                              Random& random, bool stratified = true) {
    CTNN_ASSERT(train_fraction >= 0.0 && train_fraction <= 1.0,
                "ctnn::data::split(dataset, train_fraction, random): train_fraction must be in [0, 1]");
    CTNN_ASSERT(dataset.valid(), "ctnn::data::split(dataset, train_fraction, random): the dataset is not valid()");
    const std::size_t n = dataset.size();
    const auto train_size =
        std::min(n, static_cast<std::size_t>(std::llround(train_fraction * static_cast<double>(n))));

    std::vector<std::size_t> train, test;
    if (!stratified || !dataset.has_labels()) {
        std::vector<std::size_t> order(n);
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        detail::shuffle_indices(order, random);
        train.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(train_size));
        test.assign(order.begin() + static_cast<std::ptrdiff_t>(train_size), order.end());
    } else {
        // Group the samples by label (any label values), shuffle each group, then give
        // every group its share of the training set.
        std::vector<std::size_t> by_label(n);
        for (std::size_t i = 0; i < n; ++i) by_label[i] = i;
        std::stable_sort(by_label.begin(), by_label.end(),
                         [&](std::size_t a, std::size_t b) { return dataset.labels[a] < dataset.labels[b]; });
        struct group {
            std::vector<std::size_t> members;
            std::size_t quota = 0;
            double remainder = 0;
        };
        std::vector<group> groups;
        for (std::size_t k = 0; k < n; ++k) {
            if (k == 0 || dataset.labels[by_label[k]] != dataset.labels[by_label[k - 1]]) groups.emplace_back();
            groups.back().members.push_back(by_label[k]);
        }
        std::size_t assigned = 0;
        for (group& g : groups) {
            detail::shuffle_indices(g.members, random);
            const double share = train_fraction * static_cast<double>(g.members.size());
            // The epsilon keeps 0.7 * 50 = 34.999... from losing a sample to rounding.
            g.quota = std::min(g.members.size(), static_cast<std::size_t>(std::floor(share + 1e-9)));
            g.remainder = share - static_cast<double>(g.quota);
            assigned += g.quota;
        }
        // Largest remainders first; ties go to the smaller label, so the result depends on the seed alone.
        std::vector<std::size_t> order(groups.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return groups[a].remainder > groups[b].remainder; });
        for (std::size_t k = 0; k < order.size() && assigned < train_size; ++k) {
            group& g = groups[order[k]];
            if (g.quota < g.members.size()) {
                ++g.quota;
                ++assigned;
            }
        }
        for (const group& g : groups) {
            const auto cut = g.members.begin() + static_cast<std::ptrdiff_t>(g.quota);
            train.insert(train.end(), g.members.begin(), cut);
            test.insert(test.end(), cut, g.members.end());
        }
        detail::shuffle_indices(train, random);  // mix the classes
        detail::shuffle_indices(test, random);
    }
    return {subset(dataset, std::span<const std::size_t>(train)), subset(dataset, std::span<const std::size_t>(test))};
}

}  // namespace ctnn::data
