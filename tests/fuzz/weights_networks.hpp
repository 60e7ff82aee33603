#pragma once

// The networks the weights-file fuzz target loads every input into, and the parameters of the seed files saved from
// them (weights_seeds.cpp writes tests/fuzz/corpus/weights/valid-*.ctnn). Between them they cover both scalar types,
// one topology in both (a scalar_type_mismatch with an agreeing text), a topology that is a prefix of another's,
// every ratio-parameter form of the topology text (none, one, two, negative), PReLU's extra slope parameters, and
// quantized networks (ctnn/io/quantized_weights.hpp): one float topology with both requantizers (a topology_mismatch
// in the requantizer alone), the float network of that topology too (scalar_type_mismatch both ways), tables (Tanh,
// Sigmoid), ReLU and Softmax.

#include <ctnn/io/signature.hpp>
#include <ctnn/network.hpp>
#include <ctnn/quantized_network.hpp>

#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ratio>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn_fuzz {

using SmallFloat = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
using SmallDouble = ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<3, ctnn::Tanh>, ctnn::Dense<1, ctnn::Sigmoid>>;
using OneLayer = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<3, ctnn::Tanh>>;
using Rectifiers =
    ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<4, ctnn::PReLU>,
                  ctnn::Dense<3, ctnn::LeakyReLU::with<std::ratio<-1, 10>>>, ctnn::Dense<2, ctnn::Softmax>>;
using Smooth = ctnn::Network<double, ctnn::Input<1>, ctnn::Dense<2, ctnn::RReLU>,
                             ctnn::Dense<2, ctnn::ELU::with<std::ratio<3, 2>>>, ctnn::Dense<2, ctnn::Swish>,
                             ctnn::Dense<1, ctnn::Linear>>;

using QuantizedSmallFloat = ctnn::QuantizedNetwork<SmallFloat, ctnn::FloatRequantizer>;
using QuantizedSmallFixed = ctnn::QuantizedNetwork<SmallFloat, ctnn::FixedPointRequantizer>;
using QuantizedRectifier = ctnn::QuantizedNetwork<
    ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<4, ctnn::ReLU>, ctnn::Dense<2, ctnn::Softmax>>,
    ctnn::FixedPointRequantizer>;

/// Every network, with the name of its seed file.
template <class Net>
struct named_network {
    using type = Net;
    std::string_view name;
};
inline constexpr auto weights_networks = std::make_tuple(
    named_network<SmallFloat>{"float-2-3-1"}, named_network<SmallDouble>{"double-2-3-1"},
    named_network<OneLayer>{"float-2-3"}, named_network<Rectifiers>{"float-3-4-3-2-rectifiers"},
    named_network<Smooth>{"double-1-2-2-2-1-smooth"}, named_network<QuantizedSmallFloat>{"quantized-float-2-3-1"},
    named_network<QuantizedSmallFixed>{"quantized-fixed-point-2-3-1"},
    named_network<QuantizedRectifier>{"quantized-fixed-point-3-4-2-rectifiers"});

/// Calls `f(named_network<Net>)` for every network above.
template <class F>
void for_each_weights_network(F&& f) {
    std::apply([&](const auto&... n) { (f(n), ...); }, weights_networks);
}

/// A valid quantized network `Q` whose parameters no other pattern repeats, built by hand (not by ctnn::quantize, whose
/// tables come from the host's libm): qparams, weight scales, biases, weights and tables from `shift` and each
/// value's index, multipliers from the scales (Requantizer::multiplier), as a loader checks them. With `specials`,
/// the extremes a file must carry: zero points 0 and 255, weights -128 and 127, the int32 limits as biases, a scale
/// of 2^-23 (the observers' floor) and one of 2^100.
template <ctnn::io::QuantizedNetworkType Q>
Q patterned_quantized_network(float shift, bool specials) {
    using R = typename Q::requantizer_type;
    Q q;
    q.input_qparams() = {specials ? 0x1p-23f : 0.05f + shift, specials ? 255 : 10};
    float in_scale = q.input_qparams().scale;
    ctnn::detail::static_for<Q::layer_count>([&](auto i) {
        using L = typename Q::template layer_type<i>;
        auto& layer = q.template layer<i>();
        layer.linear_qparams = {specials && i == 0 ? 0x1p100f : 0.03f * float(i + 1) + shift,
                                specials ? 0 : 100 + int(i)};
        layer.output_qparams = layer.linear_qparams;
        if constexpr (L::has_lookup_table) {
            layer.output_qparams = ctnn::detail::fixed_output_qparams<typename L::activation>();
            for (std::size_t k = 0; k < 256; ++k) layer.lookup_table[k] = static_cast<std::uint8_t>((k * 7 + i) % 256);
        }
        for (std::size_t o = 0; o < L::output_size; ++o) {
            layer.weight_scales[o] = 0.01f * float(o + 1) + shift;
            layer.bias[o] =
                specials ? (o % 2 == 0 ? INT32_MIN : INT32_MAX) : static_cast<std::int32_t>(o * 1000) - 1500;
            layer.multipliers[o] = R::multiplier(in_scale, layer.weight_scales[o], layer.linear_qparams.scale);
            for (std::size_t k = 0; k < L::input_size; ++k) {
                const int pattern = static_cast<int>((o * L::input_size + k) * 37 % 256) - 128;
                layer.weights[o * L::row_stride + k] =
                    static_cast<std::int8_t>(specials ? (k % 2 == 0 ? -128 : 127) : pattern);
            }
        }
        in_scale = layer.output_qparams.scale;
    });
    return q;
}

/// Parameters for `Net` that no other pattern repeats: parameter k is (k + 1) / 8, negated for odd k, plus `shift`.
/// With `specials`, the first parameters are the values a file must carry bit for bit: a quiet NaN with a payload,
/// both infinities, -0, the smallest subnormal and the largest finite value.
template <ctnn::io::QuantizedNetworkType Q>
Q patterned_network(float shift, bool specials) {
    return patterned_quantized_network<Q>(shift, specials);
}
template <class Net>
Net patterned_network(typename Net::value_type shift, bool specials) {
    using T = typename Net::value_type;
    using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    using limits = std::numeric_limits<T>;
    const T special_values[] = {
        std::bit_cast<T>(static_cast<Bits>(std::bit_cast<Bits>(limits::quiet_NaN()) | Bits{5})),
        limits::infinity(),
        -limits::infinity(),
        -T(0),
        limits::denorm_min(),
        limits::max(),
    };
    std::vector<T> parameters(Net::parameter_count);
    for (std::size_t k = 0; k < parameters.size(); ++k) {
        const T magnitude = T(k + 1) / T(8);
        parameters[k] = (k % 2 == 0 ? magnitude : -magnitude) + shift;
        if (specials && k < std::size(special_values)) parameters[k] = special_values[k];
    }
    Net net;
    net.write_parameters(std::span<const T, Net::parameter_count>(parameters.data(), Net::parameter_count));
    return net;
}

}  // namespace ctnn_fuzz
