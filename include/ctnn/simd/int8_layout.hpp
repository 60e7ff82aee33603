#pragma once

/// @file
/// The orders in which a quantized layer can store its Out x In int8 weights (In padded with zero
/// weights to Stride, a multiple of 4), and where weight w[o][i] sits in each. Every layout holds
/// the same Out * Stride bytes; the int8 kernels (simd/int8_kernels.hpp) read either, each arch
/// tag's fastest being int8_layout_of<Arch> (there).
///
///   - `rows`: output-major rows, w[o][i] at o * Stride + i. A dot product per output reads one
///     row; the kernels keep a few outputs' sums in registers and reduce each to one int32 at
///     the end (horizontal sums), reading as many rows at once.
///   - `interleaved_4`: groups of 4 inputs, each group holding every output's 4 weights in turn,
///     w[o][i] at (i / 4) * Out * 4 + o * 4 + i % 4: the operand order of x86's `vpdpbusd`
///     (VNNI), which adds 4 u8 x s8 products into each int32 lane. A register of 16 outputs'
///     4 weights times the 4 activations of the group broadcast to every lane gives 16 outputs'
///     sums with no horizontal sum, and a pass reads the weights in one sequential stream (the
///     layout oneDNN's and XNNPACK's VNNI kernels pack their weights into).

#include <cstddef>

namespace ctnn::simd {

/// The orders of a quantized layer's int8 weights (file comment).
enum class int8_layout {
    rows,           ///< w[o][i] at o * Stride + i
    interleaved_4,  ///< w[o][i] at (i / 4) * Out * 4 + o * 4 + i % 4
};

/// Where w[o][i] sits among the Out * Stride weights of a layer in `Layout` (o < Out, i < Stride).
template <int8_layout Layout, std::size_t Out, std::size_t Stride>
[[nodiscard]] constexpr std::size_t int8_weight_index(std::size_t o, std::size_t i) noexcept {
    static_assert(Stride % 4 == 0, "ctnn::simd::int8_weight_index: Stride is a multiple of 4");
    if constexpr (Layout == int8_layout::rows)
        return o * Stride + i;
    else
        return i / 4 * (Out * 4) + o * 4 + i % 4;
}

}  // namespace ctnn::simd
