#pragma once

/// @file
/// Compile-time unrolling of short loops over register blocks.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace ctnn::detail {

/// Calls `f(std::integral_constant<std::size_t, I>{})` for I = 0 .. N-1, fully unrolled.
template <std::size_t N, class F>
constexpr void static_for(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }
    (std::make_index_sequence<N>{});
}

}  // namespace ctnn::detail
