#pragma once

/// @file
/// simd::load_weights: the one load through which the dense kernels (simd/kernels.hpp,
/// simd/batch_kernels.hpp, simd/row_kernels.hpp, simd/narrow_kernels.hpp) read a register of
/// weights, whatever format the weights are stored in, so that the same kernels compute with
/// float, bfloat16 or binary16 weights. The format is the weights' type.

#include "ctnn/simd/bf16_kernels.hpp"
#include "ctnn/simd/f16_kernels.hpp"
#include "ctnn/simd/ops.hpp"

#include <cstdint>
#include <type_traits>

namespace ctnn::simd {

/// A register `V` (or a scalar) of the weights at `p`, as `V`'s lanes:
/// - `W` = scalar_t<V>: the weights themselves, an aligned load;
/// - `W` = std::uint16_t: bfloat16, widened exactly (load_bfloat16; float lanes), `p` need not be aligned;
/// - `W` = simd::Float16Bits: IEEE 754 binary16, widened exactly (load_float16; float lanes), `p` need not be
///   aligned.
template <class V, class W>
[[nodiscard]] inline V load_weights(const W* p) noexcept {
    if constexpr (std::is_same_v<W, scalar_t<V>>) {
        return simd::load<V>(p);
    } else if constexpr (std::is_same_v<W, Float16Bits>) {
        return load_float16<V>(p);
    } else {
        static_assert(std::is_same_v<W, std::uint16_t>,
                      "ctnn::simd::load_weights: weights are stored as the lanes' type, as bfloat16 (std::uint16_t) or "
                      "as binary16 (simd::Float16Bits)");
        return load_bfloat16<V>(p);
    }
}

}  // namespace ctnn::simd
