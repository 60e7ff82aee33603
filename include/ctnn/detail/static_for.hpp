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

/// Unrolls the loop that follows completely when its trip count is a compile-time constant of at most 16: the
/// register tiles' loops over their accumulators, which must be unrolled for the accumulators to stay in registers.
/// Cheaper to compile than static_for (no function per iteration).
#if defined(__GNUC__) || defined(__clang__)
#define CTNN_UNROLL _Pragma("GCC unroll 16")
#else
#define CTNN_UNROLL
#endif
