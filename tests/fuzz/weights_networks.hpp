#pragma once

// The networks the weights-file fuzz target loads every input into, and the parameters of the seed files saved from
// them (weights_seeds.cpp writes tests/fuzz/corpus/weights/valid-*.ctnn). Between them they cover both scalar types,
// one topology in both (a scalar_type_mismatch with an agreeing text), a topology that is a prefix of another's,
// every ratio-parameter form of the topology text (none, one, two, negative), PReLU's extra slope parameters, and
// quantized networks (ctnn/io/quantized_weights.hpp): one float topology with both requantizers (a topology_mismatch
// in the requantizer alone), the float network of that topology too (scalar_type_mismatch both ways), tables (Tanh,
// Sigmoid), ReLU and Softmax; and networks of bfloat16 and of binary16 weights (ctnn/io/weights16.hpp), each format
// the float network of that topology rounded (scalar_type_mismatch with the float and quantized files of the same
// float topology and with the other 16-bit format's, every way), and PReLU's slopes (float parameters after a layer's
// bias) with Softmax.

#include <ctnn/bfloat16.hpp>
#include <ctnn/bfloat16_network.hpp>
#include <ctnn/float16.hpp>
#include <ctnn/float16_network.hpp>
#include <ctnn/io/signature.hpp>
#include <ctnn/network.hpp>
#include <ctnn/quantized_network.hpp>

#include <algorithm>
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
using BFloat16Small = ctnn::BFloat16Network<SmallFloat>;
using BFloat16Rectifiers = ctnn::BFloat16Network<Rectifiers>;
using Float16Small = ctnn::Float16Network<SmallFloat>;
using Float16Rectifiers = ctnn::Float16Network<Rectifiers>;

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
    named_network<QuantizedRectifier>{"quantized-fixed-point-3-4-2-rectifiers"},
    named_network<BFloat16Small>{"bfloat16-2-3-1"}, named_network<BFloat16Rectifiers>{"bfloat16-3-4-3-2-rectifiers"},
    named_network<Float16Small>{"float16-2-3-1"}, named_network<Float16Rectifiers>{"float16-3-4-3-2-rectifiers"});

/// Calls `f(named_network<Net>)` for every network above.
template <class F>
void for_each_weights_network(F&& f) {
    std::apply([&](const auto&... n) { (f(n), ...); }, weights_networks);
}

/// The weight scale of unit `o` in patterned_quantized_network (of every layer): what its multipliers are computed
/// from, and what a version-1 file of a network that keeps no scales holds (weights_seeds.cpp).
inline float patterned_weight_scale(std::size_t o, float shift) {
    return 0.01f * float(o + 1) + shift;
}

/// A valid quantized network `Q` whose parameters no other pattern repeats, built by hand (not by ctnn::quantize, whose
/// tables come from the host's libm): qparams, weight scales (patterned_weight_scale, where Q keeps them), biases,
/// weights and tables from `shift` and each value's index, multipliers from the scales (Requantizer::multiplier), as a
/// loader checks them. With `specials`, the extremes a file must carry: zero points 0 and 255, weights -128 and 127,
/// the int32 limits as biases, a scale of 2^-23 (the observers' floor) and one of 2^100.
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
            const float weight_scale = patterned_weight_scale(o, shift);
            if constexpr (L::has_weight_scales) layer.weight_scales[o] = weight_scale;
            layer.bias[o] =
                specials ? (o % 2 == 0 ? INT32_MIN : INT32_MAX) : static_cast<std::int32_t>(o * 1000) - 1500;
            layer.multipliers[o] = R::multiplier(in_scale, weight_scale, layer.linear_qparams.scale);
            for (std::size_t k = 0; k < L::input_size; ++k) {
                const int pattern = static_cast<int>((o * L::input_size + k) * 37 % 256) - 128;
                layer.weights.set(o, k, static_cast<std::int8_t>(specials ? (k % 2 == 0 ? -128 : 127) : pattern));
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
/// A network of 16-bit weights: weight k is the value of its format (bfloat16 or binary16) nearest (k + 1) / 8
/// (negated for odd k) plus `shift`, float parameter k likewise. With `specials`, the first weights are patterns no
/// rounding gives (a signalling NaN's, a negative NaN with a payload) and infinities, -0, the smallest subnormal (for
/// binary16 the largest too) and the largest finite value, and the first float parameters a NaN with a payload, -0
/// and float's largest value.
template <ctnn::io::Weights16NetworkType N>
N patterned_network(float shift, bool specials) {
    constexpr bool binary16 = std::is_same_v<N, ctnn::Float16Network<typename N::network_type>>;
    std::vector<std::uint16_t> w(N::weight_count);
    std::vector<float> f(N::float_parameter_count);
    const auto value = [&](std::size_t k) { return float(k + 1) / 8.0f * (k % 2 == 0 ? 1.0f : -1.0f) + shift; };
    for (std::size_t k = 0; k < w.size(); ++k) {
        w[k] = binary16 ? ctnn::round_to_float16(value(k)) : ctnn::round_to_bfloat16(value(k));
    }
    for (std::size_t k = 0; k < f.size(); ++k) f[k] = value(k + 1000);
    if (specials) {
        const std::vector<std::uint16_t> special_weights =
            binary16 ? std::vector<std::uint16_t>{0x7c01, 0xfe01, 0x7c00, 0xfc00, 0x8000, 0x0001, 0x03ff, 0x7bff}
                     : std::vector<std::uint16_t>{0x7f81, 0xffc1, 0x7f80, 0xff80, 0x8000, 0x0001, 0x7f7f};
        for (std::size_t k = 0; k < std::min(w.size(), special_weights.size()); ++k) w[k] = special_weights[k];
        const float special_floats[] = {std::bit_cast<float>(0x7fc00005u), -0.0f, std::numeric_limits<float>::max()};
        for (std::size_t k = 0; k < std::min(f.size(), std::size(special_floats)); ++k) f[k] = special_floats[k];
    }
    return N::from_parameters(std::span<const std::uint16_t, N::weight_count>(w.data(), w.size()),
                              std::span<const float, N::float_parameter_count>(f.data(), f.size()));
}
template <ctnn::io::NetworkType Net>
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
