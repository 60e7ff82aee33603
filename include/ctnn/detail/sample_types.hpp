#pragma once

/// @file
/// What a sample is, for the entry points that take samples from the user (Network::forward,
/// ctnn::loss, ctnn::backward, ctnn::fused_sgd_step, Trainer's steps and epochs,
/// data::predict_class). Each has, beside its real signature, an overload that exists only
/// to reject samples of another scalar type or size than the network's with one sentence,
/// instead of the compiler's page about converting std::vector<std::array<double, 4>> to
/// std::span<const std::array<float, 4>>: it is viable only for such samples
/// (`wrong_samples`), so it never competes with the real signature, and its body is a
/// static_assert ending in CTNN_DETAIL_SAMPLES_FIX.

#include <array>
#include <concepts>
#include <cstddef>
#include <ranges>
#include <type_traits>

/// The end of every wrong-samples sentence: what a sample must be and how to get one.
#define CTNN_DETAIL_SAMPLES_FIX                                                                            \
    "the samples do not have the network's scalar type and sizes; each input must be Net::input_type and " \
    "each target or output Net::output_type (std::array<Net::value_type, Net::input_size or "              \
    "output_size>), so read the data with ctnn::data::from_table<Net>(table) into a "                      \
    "ctnn::data::DatasetFor<Net>"

namespace ctnn::detail {

template <class X>
inline constexpr bool is_sample_array = false;
template <std::floating_point U, std::size_t N>
inline constexpr bool is_sample_array<std::array<U, N>> = true;

/// What a user passes as samples: one std::array of a floating-point type, or a contiguous
/// range of them (std::vector, std::span, std::array). Class labels (integers) are not samples.
template <class X>
concept SampleArgument = is_sample_array<std::remove_cvref_t<X>> ||
    (std::ranges::contiguous_range<std::remove_cvref_t<X>>&&
         is_sample_array<std::remove_cv_t<std::ranges::range_value_t<std::remove_cvref_t<X>>>>);

template <class X>
struct sample_of {
    using type = std::remove_cv_t<std::ranges::range_value_t<std::remove_cvref_t<X>>>;
};
template <class X>
    requires is_sample_array<std::remove_cvref_t<X>>
struct sample_of<X> {
    using type = std::remove_cvref_t<X>;
};

/// True when `X` holds samples (SampleArgument) of another type than `Expected`.
template <class X, class Expected>
inline constexpr bool wrong_samples = [] {
    if constexpr (SampleArgument<X>) {
        return !std::is_same_v<typename sample_of<X>::type, Expected>;
    } else {
        return false;
    }
}();

template <class Net, class... Rest>
inline constexpr bool wrong_targets = false;
template <class Net, class Target, class... Rest>
inline constexpr bool wrong_targets<Net, Target, Rest...> = wrong_samples<Target, typename Net::output_type>;

/// A call's arguments from its inputs on (`In`, then `Rest`) do not fit the network `Net`:
/// the inputs are samples but not Net::input_type, or the targets or outputs (the first of
/// `Rest`) are samples but not Net::output_type.
template <class Net, class In, class... Rest>
concept WrongSamplesFor = requires {
    typename Net::input_type;
    typename Net::output_type;
}
&&(wrong_samples<In, typename Net::input_type> || wrong_targets<Net, Rest...>);

}  // namespace ctnn::detail
