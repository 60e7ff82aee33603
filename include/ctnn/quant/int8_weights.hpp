#pragma once

/// @file
/// ctnn::int8_weight_matrix: a quantized layer's Out x In int8 weights, stored in the order its
/// arch's kernel reads fastest (simd/int8_layout.hpp: output-major rows, or groups of 4 inputs
/// interleaved across outputs for AVX-512 VNNI), and read and written by (output, input) whatever
/// that order. Each row is In weights and zeros up to row_stride (In rounded up to 4): Out x
/// row_stride bytes in every layout, nothing else.

#include "ctnn/simd/int8_layout.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace ctnn {

/// Out x In int8 weights in `Layout`, w(o, i) for o < Out and i < row_stride (zero from In on).
/// Trivially copyable; equal when every weight is.
template <std::size_t Out, std::size_t In, simd::int8_layout Layout>
class int8_weight_matrix {
public:
    /// Weights per row: In rounded up to a multiple of 4 (the padding is zero).
    static constexpr std::size_t row_stride = (In + 3) / 4 * 4;
    /// Bytes of the matrix: Out x row_stride.
    static constexpr std::size_t size = Out * row_stride;
    static constexpr simd::int8_layout layout = Layout;
    /// The weights as rows: w(o, i) at o * row_stride + i.
    using rows_type = std::array<std::int8_t, size>;

    /// Every weight zero.
    constexpr int8_weight_matrix() noexcept = default;

    /// From the weights as rows, w(o, i) = rows[o * row_stride + i] (the rows' padding should be zero: the kernels
    /// never multiply it, but it is stored and compared). Implicit, so that a header of ctnn::io::export_header
    /// initialises `.weights = {{...}}` with rows whatever the layout of the arch it is compiled for.
    constexpr int8_weight_matrix(const rows_type& rows) noexcept {  // NOLINT(google-explicit-constructor)
        if constexpr (Layout == simd::int8_layout::rows) {
            values_ = rows;
        } else {
            for (std::size_t o = 0; o < Out; ++o)
                for (std::size_t i = 0; i < row_stride; ++i) set(o, i, rows[o * row_stride + i]);
        }
    }

    /// w(o, i): the weight from input i to output o (o < Out, i < row_stride).
    [[nodiscard]] constexpr std::int8_t operator()(std::size_t o, std::size_t i) const noexcept {
        return values_[simd::int8_weight_index<Layout, Out, row_stride>(o, i)];
    }
    /// Sets w(o, i) (o < Out, i < row_stride).
    constexpr void set(std::size_t o, std::size_t i, std::int8_t w) noexcept {
        values_[simd::int8_weight_index<Layout, Out, row_stride>(o, i)] = w;
    }
    /// The weights as rows (a copy, in the rows layout).
    [[nodiscard]] constexpr rows_type rows() const noexcept {
        rows_type out{};
        for (std::size_t o = 0; o < Out; ++o)
            for (std::size_t i = 0; i < row_stride; ++i) out[o * row_stride + i] = (*this)(o, i);
        return out;
    }
    /// The size bytes in `Layout`, as the int8 kernels (simd/int8_kernels.hpp) read them.
    [[nodiscard]] constexpr const std::int8_t* data() const noexcept { return values_.data(); }

    friend constexpr bool operator==(const int8_weight_matrix&, const int8_weight_matrix&) = default;

private:
    rows_type values_{};
};

}  // namespace ctnn
