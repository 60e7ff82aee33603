#pragma once

// The networks the weights-file fuzz target loads every input into, and the parameters of the seed files saved from
// them (weights_seeds.cpp writes tests/fuzz/corpus/weights/valid-*.ctnn). Between them they cover both scalar types,
// one topology in both (a scalar_type_mismatch with an agreeing text), a topology that is a prefix of another's,
// every ratio-parameter form of the topology text (none, one, two, negative) and PReLU's extra slope parameters.

#include <ctnn/network.hpp>

#include <bit>
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

/// Every network, with the name of its seed file.
template <class Net>
struct named_network {
    using type = Net;
    std::string_view name;
};
inline constexpr auto weights_networks =
    std::make_tuple(named_network<SmallFloat>{"float-2-3-1"}, named_network<SmallDouble>{"double-2-3-1"},
                    named_network<OneLayer>{"float-2-3"}, named_network<Rectifiers>{"float-3-4-3-2-rectifiers"},
                    named_network<Smooth>{"double-1-2-2-2-1-smooth"});

/// Calls `f(named_network<Net>)` for every network above.
template <class F>
void for_each_weights_network(F&& f) {
    std::apply([&](const auto&... n) { (f(n), ...); }, weights_networks);
}

/// Parameters for `Net` that no other pattern repeats: parameter k is (k + 1) / 8, negated for odd k, plus `shift`.
/// With `specials`, the first parameters are the values a file must carry bit for bit: a quiet NaN with a payload,
/// both infinities, -0, the smallest subnormal and the largest finite value.
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
