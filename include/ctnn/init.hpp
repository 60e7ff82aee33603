#pragma once

/// @file
/// Weight initialisers. Each sets every weight and bias of a network (PReLU slopes keep
/// their initial value) from a ctnn::Random, layer by layer, so the same seed gives the
/// same network on the same build.

#include "ctnn/activation/relu.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/random.hpp"

#include <cmath>
#include <cstddef>
#include <type_traits>

namespace ctnn::init {

namespace detail {

template <class A>
inline constexpr bool is_rectifier = std::is_same_v<A, ReLU>;
template <class S>
inline constexpr bool is_rectifier<BasicLeakyReLU<S>> = true;
template <class S>
inline constexpr bool is_rectifier<BasicPReLU<S>> = true;
template <class L, class U>
inline constexpr bool is_rectifier<BasicRReLU<L, U>> = true;

/// Calls `weight(fan_in, fan_out)` for each weight and `bias(is_rectifier, fan_in)` for each bias.
template <class Net, class Weight, class Bias>
void fill(Net& net, Weight&& weight, Bias&& bias) {
    using layers = typename Net::layers;
    std::size_t first = 0;
    ctnn::detail::static_for<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        constexpr std::size_t weights = L::input_size * L::output_size;
        for (std::size_t k = 0; k < weights; ++k) net.set_parameter(first + k, weight(L::input_size, L::output_size));
        for (std::size_t k = 0; k < L::output_size; ++k) {
            net.set_parameter(first + weights + k, bias(is_rectifier<typename L::activation>, L::input_size));
        }
        first += L::parameter_count;
    });
}

}  // namespace detail

/// The classic default: W ~ N(0, 1/m) with m the layer's fan-in, b ~ N(0, 1); biases of
/// rectifier layers (ReLU, LeakyReLU, PReLU, RReLU) at 0.1, so units start active.
template <class Net>
void normal_inverse_fan_in(Net& net, Random& random) {
    using T = typename Net::value_type;
    detail::fill(
        net, [&](std::size_t m, std::size_t) { return random.normal<T>(T(0), T(1) / std::sqrt(T(m))); },
        [&](bool rectifier, std::size_t) { return rectifier ? T(0.1) : random.normal<T>(); });
}

/// Xavier/Glorot normal: W ~ N(0, 2 / (fan_in + fan_out)), b = 0.
template <class Net>
void xavier_normal(Net& net, Random& random) {
    using T = typename Net::value_type;
    detail::fill(
        net, [&](std::size_t m, std::size_t n) { return random.normal<T>(T(0), std::sqrt(T(2) / T(m + n))); },
        [](bool, std::size_t) { return T(0); });
}

/// Xavier/Glorot uniform: W ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out)), b = 0.
template <class Net>
void xavier_uniform(Net& net, Random& random) {
    using T = typename Net::value_type;
    detail::fill(
        net,
        [&](std::size_t m, std::size_t n) {
            const T a = std::sqrt(T(6) / T(m + n));
            return random.uniform<T>(-a, a);
        },
        [](bool, std::size_t) { return T(0); });
}

/// He/Kaiming normal: W ~ N(0, 2 / fan_in), b = 0.
template <class Net>
void he_normal(Net& net, Random& random) {
    using T = typename Net::value_type;
    detail::fill(
        net, [&](std::size_t m, std::size_t) { return random.normal<T>(T(0), std::sqrt(T(2) / T(m))); },
        [](bool, std::size_t) { return T(0); });
}

/// He/Kaiming uniform: W ~ U(-a, a), a = sqrt(6 / fan_in), b = 0.
template <class Net>
void he_uniform(Net& net, Random& random) {
    using T = typename Net::value_type;
    detail::fill(
        net,
        [&](std::size_t m, std::size_t) {
            const T a = std::sqrt(T(6) / T(m));
            return random.uniform<T>(-a, a);
        },
        [](bool, std::size_t) { return T(0); });
}

/// PyTorch's default for a linear layer: W and b ~ U(-a, a), a = 1 / sqrt(fan_in), with
/// fan_in the layer's input size (Net::layer_input_size<I>), so every layer draws from its
/// own range. This is what `torch.nn.Linear.reset_parameters` does: `kaiming_uniform_(weight,
/// a=sqrt(5))`, whose bound gain * sqrt(3 / fan_in) with gain = sqrt(2 / (1 + 5)) is
/// 1 / sqrt(fan_in), then `uniform_(bias, -1 / sqrt(fan_in), 1 / sqrt(fan_in))`. PReLU
/// slopes keep their initial value (`torch.nn.PReLU`'s 0.25 is ctnn::PReLU's). The values are
/// PyTorch's distribution, not its draws: the generator is ctnn::Random, not torch's.
template <class Net>
void pytorch_default(Net& net, Random& random) {
    using T = typename Net::value_type;
    const auto draw = [&](std::size_t m) {
        const T a = T(1) / std::sqrt(T(m));
        return random.uniform<T>(-a, a);
    };
    detail::fill(
        net, [&](std::size_t m, std::size_t) { return draw(m); }, [&](bool, std::size_t m) { return draw(m); });
}

}  // namespace ctnn::init
