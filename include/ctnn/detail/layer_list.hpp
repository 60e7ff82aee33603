#pragma once

/// @file
/// Checks a network's specs and binds them to detail::dense_layer types, each fed by the
/// previous layer's width and placed after it in the flat parameter storage.

#include "ctnn/activation/identity.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/activation/traits.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/detail/dense_layer.hpp"
#include "ctnn/input.hpp"
#include "ctnn/simd/arch.hpp"

#include <boost/hana/at.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>

#include <algorithm>
#include <cstddef>
#include <type_traits>

namespace ctnn::detail {

/// True for a Dense spec with at least one unit, a real activation and not a Softmax of one unit. Matched on the
/// template arguments, never on the spec's members: clang marks a spec whose own
/// static_assert failed as invalid, and its members are then no constant expressions.
template <class S>
inline constexpr bool is_valid_dense_spec_v = false;
template <std::size_t Units, class Act>
inline constexpr bool is_valid_dense_spec_v<Dense<Units, Act>> =
    Units >= 1 && Activation<Act> && !is_single_unit_softmax<Units, Act>;
template <class S>
constexpr bool is_valid_dense_spec() {
    return is_valid_dense_spec_v<S>;
}

template <class S>
inline constexpr bool is_valid_input_spec_v = false;
template <std::size_t N>
inline constexpr bool is_valid_input_spec_v<Input<N>> = N >= 1;
template <class S>
constexpr bool is_valid_input_spec() {
    return is_valid_input_spec_v<S>;
}

/// The bound layers of a network, in order.
template <class... Layers>
struct layer_list {
    static constexpr std::size_t size = sizeof...(Layers);
    static constexpr auto types = boost::hana::tuple_t<Layers...>;
    static constexpr std::size_t storage_size = (Layers::storage_size + ...);
    static constexpr std::size_t parameter_count = (Layers::parameter_count + ...);
    static constexpr std::size_t max_padded_size = std::max({Layers::padded_size...});
    static constexpr std::size_t padded_sum = (Layers::padded_size + ...);

    /// The buffers of a training pass over up to `Samples` samples, per layer (ctnn::Workspace).
    template <std::size_t Samples>
    using caches = boost::hana::tuple<typename Layers::template cache<Samples>...>;

    template <std::size_t I>
    using at = typename decltype(+boost::hana::at_c<I>(types))::type;
    using first = at<0>;
    using last = at<size - 1>;
};

template <class Arch, class T, std::size_t In, std::size_t Offset, class List, class... Specs>
struct bind_layers {
    using type = List;
};

template <class Arch, class T, std::size_t In, std::size_t Offset, class... Bound, class Spec, class... Rest>
struct bind_layers<Arch, T, In, Offset, layer_list<Bound...>, Spec, Rest...> {
    using layer = dense_layer<Arch, T, In, Spec::units, typename Spec::activation, Offset>;
    using type =
        typename bind_layers<Arch, T, Spec::units, layer::end_offset, layer_list<Bound..., layer>, Rest...>::type;
};

/// What a network of these specs is, once every rule holds; when one fails, a one-layer
/// stand-in, so that the rule's static_assert is the only error the user reads.
template <class Arch, class T, class InputSpec, class... Specs>
struct network_layout {
    static constexpr bool valid = std::is_floating_point_v<T> && simd::is_arch<Arch> &&
                                  is_valid_input_spec<InputSpec>() && sizeof...(Specs) >= 1 &&
                                  (is_valid_dense_spec<Specs>() && ...);
    static constexpr std::size_t input_size = [] {
        if constexpr (valid) {
            return InputSpec::size;
        } else {
            return std::size_t{1};
        }
    }();

    static auto bind() {
        if constexpr (valid) {
            return typename bind_layers<Arch, T, InputSpec::size, 0, layer_list<>, Specs...>::type{};
        } else {
            return layer_list<dense_layer<simd::scalar_arch, float, 1, 1, Linear, 0>>{};
        }
    }
    using layers = decltype(bind());
};

/// True when Softmax appears anywhere but in the last spec.
template <class... Specs>
constexpr bool has_hidden_softmax() {
    constexpr bool is_softmax[] = {std::is_same_v<typename Specs::activation, Softmax>...};
    for (std::size_t i = 0; i + 1 < sizeof...(Specs); ++i) {
        if (is_softmax[i]) return true;
    }
    return false;
}

}  // namespace ctnn::detail
