#pragma once

/// @file
/// The int8 dense layer's one kernel: rows of int8 weights times a row of uint8 quanta, summed in
/// int32. Portable scalar code; the place where SIMD dot-product kernels (SSSE3 pmaddubsw, AVX2,
/// AVX-VNNI, NEON sdot) plug in.

#include <cstddef>
#include <cstdint>

namespace ctnn::detail {

/// acc[o] += sum over i < in of x[i] * w[o * stride + i], for o < out: `w` holds `out` rows of
/// `stride` int8 weights (output-major; stride >= in, a multiple of 4 in ctnn's layout, the row's
/// padding zero), `x` `in` uint8 quanta. Each product fits in 16 bits and the sums of a layer's
/// rows in int32 (|sum| <= in x 255 x 128: in < 65,793 inputs).
inline void int8_dot_rows(const std::uint8_t* x, const std::int8_t* w, std::size_t in, std::size_t stride,
                          std::size_t out, std::int32_t* acc) noexcept {
    for (std::size_t o = 0; o < out; ++o) {
        const std::int8_t* row = w + o * stride;
        std::int32_t sum = 0;
        for (std::size_t i = 0; i < in; ++i) sum += static_cast<std::int32_t>(x[i]) * static_cast<std::int32_t>(row[i]);
        acc[o] += sum;
    }
}

}  // namespace ctnn::detail
