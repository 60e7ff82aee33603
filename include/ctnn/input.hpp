#pragma once

#include <cstddef>

namespace ctnn {

/// The input of a network: `N` values. Always the first layer of a ctnn::Network.
template <std::size_t N>
struct Input {
    static_assert(N >= 1, "ctnn::Input<N>: N must be at least 1");
    static constexpr std::size_t size = N;
};

namespace detail {
template <class S>
inline constexpr bool is_input_spec = false;
template <std::size_t N>
inline constexpr bool is_input_spec<Input<N>> = true;
}  // namespace detail

}  // namespace ctnn
