#pragma once

/// @file
/// Input scaling fitted on a training set and applied to any set: ctnn::data::Standardizer
/// (mean 0, standard deviation 1 per column) and ctnn::data::MinMaxScaler (each column to
/// [low, high]). Hosted only.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/data/scaling.hpp: not available in freestanding builds"
#endif

#include "ctnn/data/dataset.hpp"
#include "ctnn/detail/sum_of_squares.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>

namespace ctnn::data {

/// Standardises each input column: x -> (x - mean) / scale, with the mean and the
/// (population) standard deviation of the data it was fitted on. Fit on the training set
/// only, then apply to every set, so the test set stays unseen.
///
/// Computed in double (long double for long double data), in two passes: the mean (shifted
/// by the first value), then the squares of the deviations from it, so a column far from 0
/// (1e6 plus noise) loses nothing to cancellation; the squares are summed with Blue's
/// scaling (LAPACK's nrm2), so columns of 1e300 or of subnormals neither overflow nor
/// underflow.
///
/// A column that is constant in that data gets scale 1, so it maps to 0 rather than to
/// infinity. "Constant" is relative to the data: its variance is within the rounding error
/// of the two-pass algorithm, var <= n eps var + (n |mean| eps)^2 (n samples, eps of the
/// accumulating type; T. F. Chan, G. H. Golub, R. J. LeVeque, "Algorithms for computing the
/// sample variance: analysis and recommendations", The American Statistician 37(3), 1983).
/// This is scikit-learn's `_is_constant_feature`, which its StandardScaler uses (pull
/// request 19788) since a fixed threshold on the scale failed data of small magnitude
/// (issue 19726). A column of {1e-6, 2e-6, 3e-6, 4e-6} is not constant: scale 1.118e-6.
///
/// A default-constructed Standardizer is the identity (mean 0, scale 1).
///
/// @code
/// ctnn::data::Standardizer scaler(split.train);  // fit
/// scaler.apply(split.train);
/// scaler.apply(split.test);
/// @endcode
template <std::floating_point T, std::size_t N>
class Standardizer {
public:
    using input_type = std::array<T, N>;

    Standardizer() noexcept {
        mean_.fill(T(0));
        scale_.fill(T(1));
    }

    /// Fitted on the inputs of `train`. Requires: train is not empty.
    template <std::size_t Outputs>
    explicit Standardizer(const Dataset<T, N, Outputs>& train) {
        fit(train);
    }

    /// Fits the mean and scale of each column to `inputs`. Requires: inputs is not empty.
    void fit(std::span<const input_type> inputs) noexcept {
        CTNN_ASSERT(!inputs.empty(), "ctnn::data::Standardizer::fit(inputs): inputs must not be empty");
        using A = std::common_type_t<T, double>;  // accumulate float data in double
        const auto n = static_cast<A>(inputs.size());
        const A eps = std::numeric_limits<A>::epsilon();
        for (std::size_t c = 0; c < N; ++c) {
            // The mean as the first value plus the mean deviation from it: the deviations are small and their
            // sum has small rounding errors where a sum of the values would have errors of its magnitude.
            const A first = inputs[0][c];
            A deviations = 0;
            for (const input_type& x : inputs) deviations += x[c] - first;
            A mean = first + deviations / n;
            if (!std::isfinite(mean)) {  // the values span more than the largest A: add the values / n
                mean = 0;
                for (const input_type& x : inputs) mean += x[c] / n;
            }
            ctnn::detail::sum_of_squares<A> squares;
            for (const input_type& x : inputs) squares.add(x[c] - mean);
            const auto norm = squares.norm();
            const A stddev = norm.scale * std::sqrt(norm.sum / n);
            // var <= n eps var + (n |mean| eps)^2, rearranged so that nothing is squared (no overflow).
            const bool constant = n * eps >= 1 || !(stddev * std::sqrt(1 - n * eps) > n * eps * std::fabs(mean));
            mean_[c] = static_cast<T>(mean);
            scale_[c] = constant ? T(1) : static_cast<T>(stddev);
        }
    }

    /// Fits to the inputs of `train`. Requires: train is not empty.
    template <std::size_t Outputs>
    void fit(const Dataset<T, N, Outputs>& train) noexcept {
        fit(std::span<const input_type>(train.inputs));
    }

    /// One input, standardised.
    [[nodiscard]] input_type operator()(const input_type& x) const noexcept {
        input_type y;
        for (std::size_t c = 0; c < N; ++c) y[c] = (x[c] - mean_[c]) / scale_[c];
        return y;
    }

    /// Standardises every input in place.
    void apply(std::span<input_type> inputs) const noexcept {
        for (input_type& x : inputs) x = (*this)(x);
    }

    /// Standardises the inputs of `dataset` in place (targets and labels are unchanged).
    template <std::size_t Outputs>
    void apply(Dataset<T, N, Outputs>& dataset) const noexcept {
        apply(std::span<input_type>(dataset.inputs));
    }

    /// The fitted mean of each column.
    [[nodiscard]] const input_type& mean() const noexcept { return mean_; }
    /// The fitted standard deviation of each column (1 for a constant column).
    [[nodiscard]] const input_type& scale() const noexcept { return scale_; }

private:
    input_type mean_;
    input_type scale_;
};

template <class T, std::size_t Inputs, std::size_t Outputs>
Standardizer(const Dataset<T, Inputs, Outputs>&) -> Standardizer<T, Inputs>;

/// Maps each input column linearly onto [low, high] (default [0, 1]): the smallest value of
/// the data it was fitted on goes to `low`, the largest to `high`. Values outside the fitted
/// range (in a test set) map outside [low, high]; nothing is clipped.
///
/// A column is constant when its largest value equals its smallest; it maps to `low`. The
/// minimum and maximum are exact, so any spread, however small against 1 or against the
/// values (1e-6 to 4e-6, 1e6 to 1e6 + 0.0625 in float, subnormals), is scaled onto the whole
/// range. scikit-learn's MinMaxScaler instead treats a range below 10 eps as constant
/// (`_handle_zeros_in_scale`), an absolute threshold that fails such columns. A column that
/// spans more than the largest T (-3e38 to 3e38 in float) is scaled through half its values,
/// whose range is finite.
///
/// A default-constructed MinMaxScaler is the identity.
///
/// @code
/// ctnn::data::MinMaxScaler scaler(split.train);  // fit to [0, 1]
/// scaler.apply(split.train);
/// scaler.apply(split.test);
/// @endcode
template <std::floating_point T, std::size_t N>
class MinMaxScaler {
public:
    using input_type = std::array<T, N>;

    /// The identity, until fitted; fit() maps onto [low, high]. Requires: low < high.
    explicit MinMaxScaler(T low = T(0), T high = T(1)) noexcept : low_(low), high_(high) {
        CTNN_ASSERT(low < high, "ctnn::data::MinMaxScaler(low, high): low must be less than high");
        minimum_.fill(T(0));
        range_.fill(T(1));
        prescale_.fill(T(1));
        identity_ = true;
    }

    /// Fitted on the inputs of `train`, onto [low, high].
    /// Requires: train is not empty; low < high.
    template <std::size_t Outputs>
    explicit MinMaxScaler(const Dataset<T, N, Outputs>& train, T low = T(0), T high = T(1)) : MinMaxScaler(low, high) {
        fit(train);
    }

    /// Fits the range of each column to `inputs`. Requires: inputs is not empty.
    void fit(std::span<const input_type> inputs) noexcept {
        CTNN_ASSERT(!inputs.empty(), "ctnn::data::MinMaxScaler::fit(inputs): inputs must not be empty");
        for (std::size_t c = 0; c < N; ++c) {
            T lowest = inputs[0][c], highest = inputs[0][c];
            for (const input_type& x : inputs) {
                lowest = std::min(lowest, x[c]);
                highest = std::max(highest, x[c]);
            }
            minimum_[c] = lowest;
            maximum_[c] = highest;
            prescale_[c] = highest - lowest <= std::numeric_limits<T>::max() ? T(1) : T(0.5);
            range_[c] = highest > lowest ? highest * prescale_[c] - lowest * prescale_[c] : T(1);
        }
        identity_ = false;
    }

    /// Fits to the inputs of `train`. Requires: train is not empty.
    template <std::size_t Outputs>
    void fit(const Dataset<T, N, Outputs>& train) noexcept {
        fit(std::span<const input_type>(train.inputs));
    }

    /// One input, scaled.
    [[nodiscard]] input_type operator()(const input_type& x) const noexcept {
        if (identity_) return x;
        input_type y;
        for (std::size_t c = 0; c < N; ++c) {
            // t is exactly 0 at the minimum and exactly 1 at the maximum, so the fitted
            // data lands in [low, high] without rounding past either end.
            const T t = (x[c] * prescale_[c] - minimum_[c] * prescale_[c]) / range_[c];
            y[c] = low_ * (T(1) - t) + high_ * t;
        }
        return y;
    }

    /// Scales every input in place.
    void apply(std::span<input_type> inputs) const noexcept {
        for (input_type& x : inputs) x = (*this)(x);
    }

    /// Scales the inputs of `dataset` in place (targets and labels are unchanged).
    template <std::size_t Outputs>
    void apply(Dataset<T, N, Outputs>& dataset) const noexcept {
        apply(std::span<input_type>(dataset.inputs));
    }

    /// The fitted smallest and largest value of each column (0 before fitting).
    [[nodiscard]] const input_type& minimum() const noexcept { return minimum_; }
    [[nodiscard]] const input_type& maximum() const noexcept { return maximum_; }
    /// The target range.
    [[nodiscard]] T low() const noexcept { return low_; }
    [[nodiscard]] T high() const noexcept { return high_; }

private:
    input_type minimum_{};
    input_type maximum_{};
    input_type range_{};
    input_type prescale_{};  // 1, or 1/2 for a column whose range overflows T
    T low_;
    T high_;
    bool identity_ = true;
};

template <class T, std::size_t Inputs, std::size_t Outputs>
MinMaxScaler(const Dataset<T, Inputs, Outputs>&) -> MinMaxScaler<T, Inputs>;
template <class T, std::size_t Inputs, std::size_t Outputs>
MinMaxScaler(const Dataset<T, Inputs, Outputs>&, T, T) -> MinMaxScaler<T, Inputs>;

}  // namespace ctnn::data
