#pragma once

/// @file
/// The dense-layer kernels for several samples at once. Samples are rows (`std::array`s
/// of a row length at least the layer's width); weights are stored input-major as for
/// one sample (row i: the weights from input i to every output, padded to whole
/// registers). Each kernel is a register-blocked micro-kernel, as in GEMM libraries: a
/// tile of a few samples x a few output registers stays in registers while the inputs
/// stream past, so every weight register loaded is used once per sample of the tile
/// instead of once per pass.

#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

// g++ 12 inlines these kernels into callers whose batch it can see (two samples, say) and then warns that the
// tile loops, which run only while a whole tile of samples remains, would read past it (-Warray-bounds on a path that
// never runs). Nor may xsimd's AVX-512 haddp, inlined here, trip GCC 12.0 to 12.2's false -Wuninitialized (see
// kernels.hpp). The pragmas cover exactly the kernels' lines.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#if __GNUC__ == 12 && __GNUC_MINOR__ < 3 && defined(__AVX512F__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif

namespace ctnn::simd {

/// Vector registers of `Arch` the compiler can keep values in: 32 with AVX-512 and on
/// AArch64, 16 on the other x86 instruction sets; 16 floating-point registers for the
/// scalar path (Cortex-M4F and M7 have 32 single-precision ones, x86-64 16).
template <class T, class Arch>
inline constexpr std::size_t register_count = [] {
#if CTNN_SIMD
    if constexpr (std::is_base_of_v<xsimd::avx512f, Arch> || std::is_base_of_v<xsimd::neon64, Arch>) return 32;
#endif
    return 16;
}();

namespace detail {

/// The micro-kernel's tile for a layer of `Registers` output registers: `columns` output
/// registers by `rows` samples, as many accumulators as leave a register for the
/// broadcast input and one per loaded weight register (6 x 2 on 16 registers).
template <class T, class Arch, std::size_t Registers>
struct tile_shape {
    static constexpr std::size_t columns = std::min<std::size_t>(Registers, register_count<T, Arch> >= 32 ? 4 : 2);
    static constexpr std::size_t rows = std::min<std::size_t>(8, (register_count<T, Arch> - columns - 1) / columns);
};

/// Calls `f(std::integral_constant<std::size_t, n>{})` for the run-time count `n`, 0 < n < Max; nothing for 0.
template <std::size_t Max, class F>
inline void with_count(std::size_t n, F&& f) {
    ctnn::detail::static_for<Max>([&](auto k) {
        if constexpr (k > 0) {
            if (n == k) f(k);
        }
    });
}

/// z[s][first + ...] = b + sum_i x[s][from + i] w[from + i][first + ...] over `Inputs` inputs from `from`, for `Rows`
/// samples and `Columns` registers; adds to z instead when `b` is null.
template <class V, std::size_t Inputs, std::size_t Padded, std::size_t Rows, std::size_t Columns, class XRow,
          class ZRow, class T>
inline void affine_tile(const T* w, const T* b, const XRow* x, ZRow* z, std::size_t from, std::size_t first) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Rows][Columns];
    ctnn::detail::static_for<Columns>([&](auto k) {
        if (b) {
            const V bias = simd::load<V>(b + first + k * lanes);
            ctnn::detail::static_for<Rows>([&](auto s) { acc[s][k] = bias; });
        } else {
            ctnn::detail::static_for<Rows>([&](auto s) { acc[s][k] = simd::load<V>(z[s].data() + first + k * lanes); });
        }
    });
    for (std::size_t i = from; i < from + Inputs; ++i) {
        const T* row = w + i * Padded + first;
        V weights[Columns];
        ctnn::detail::static_for<Columns>([&](auto k) { weights[k] = simd::load<V>(row + k * lanes); });
        ctnn::detail::static_for<Rows>([&](auto s) {
            const V xs(x[s][i]);
            ctnn::detail::static_for<Columns>([&](auto k) { acc[s][k] = simd::fma(xs, weights[k], acc[s][k]); });
        });
    }
    ctnn::detail::static_for<Rows>([&](auto s) {
        ctnn::detail::static_for<Columns>([&](auto k) { simd::store(z[s].data() + first + k * lanes, acc[s][k]); });
    });
}

/// Calls `f(columns, first)` for each block of the micro-kernel's output registers: `columns` (an integral constant)
/// registers from lane `first`, the last block holding what is left.
template <class T, class Arch, std::size_t Padded, class F>
inline void for_each_column_block(F&& f) {
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t registers = Padded / lanes;
    constexpr std::size_t columns = tile_shape<T, Arch, registers>::columns;
    constexpr std::size_t whole = registers / columns * columns;
    for (std::size_t r = 0; r < whole; r += columns) f(std::integral_constant<std::size_t, columns>{}, r * lanes);
    if constexpr (whole < registers) f(std::integral_constant<std::size_t, registers - whole>{}, whole * lanes);
}

/// affine_tile over every output register, for `Rows` samples and `Inputs` inputs from `from`.
template <class Arch, std::size_t Inputs, std::size_t Padded, std::size_t Rows, class XRow, class ZRow, class T>
inline void affine_rows(const T* w, const T* b, const XRow* x, ZRow* z, std::size_t from) noexcept {
    for_each_column_block<T, Arch, Padded>([&](auto columns, std::size_t first) {
        affine_tile<vector_t<T, Arch>, Inputs, Padded, Rows, columns>(w, b, x, z, from, first);
    });
}

/// affine_rows over every sample, tile by tile of samples.
template <class Arch, std::size_t Inputs, std::size_t Padded, class XRow, class ZRow, class T>
inline void affine_samples(const T* w, const T* b, const XRow* x, ZRow* z, std::size_t samples,
                           std::size_t from) noexcept {
    constexpr std::size_t rows = tile_shape<T, Arch, Padded / width<T, Arch>>::rows;
    std::size_t s = 0;
    for (; s + rows <= samples; s += rows) affine_rows<Arch, Inputs, Padded, rows>(w, b, x + s, z + s, from);
    with_count<rows>(samples - s, [&](auto n) { affine_rows<Arch, Inputs, Padded, n>(w, b, x + s, z + s, from); });
}

/// dw[i + ...][first + ...] += sum_s x[s][i + ...] dz[s][first + ...] for `Inputs` rows of w and `Columns` registers.
template <class V, std::size_t Padded, std::size_t Inputs, std::size_t Columns, class XRow, class DzRow, class T>
inline void outer_products_tile(T* dw, const XRow* x, const DzRow* dz, std::size_t samples, std::size_t i,
                                std::size_t first) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Inputs][Columns];
    ctnn::detail::static_for<Inputs>([&](auto k) {
        ctnn::detail::static_for<Columns>(
            [&](auto c) { acc[k][c] = simd::load<V>(dw + (i + k) * Padded + first + c * lanes); });
    });
    for (std::size_t s = 0; s < samples; ++s) {
        V d[Columns];
        ctnn::detail::static_for<Columns>([&](auto c) { d[c] = simd::load<V>(dz[s].data() + first + c * lanes); });
        ctnn::detail::static_for<Inputs>([&](auto k) {
            const V xs(x[s][i + k]);
            ctnn::detail::static_for<Columns>([&](auto c) { acc[k][c] = simd::fma(xs, d[c], acc[k][c]); });
        });
    }
    ctnn::detail::static_for<Inputs>([&](auto k) {
        ctnn::detail::static_for<Columns>(
            [&](auto c) { simd::store(dw + (i + k) * Padded + first + c * lanes, acc[k][c]); });
    });
}

/// outer_products_tile over every output register, for `Inputs` rows of w from row i.
template <class Arch, std::size_t Padded, std::size_t Inputs, class XRow, class DzRow, class T>
inline void outer_products_rows(T* dw, const XRow* x, const DzRow* dz, std::size_t samples, std::size_t i) noexcept {
    for_each_column_block<T, Arch, Padded>([&](auto columns, std::size_t first) {
        outer_products_tile<vector_t<T, Arch>, Padded, Inputs, columns>(dw, x, dz, samples, i, first);
    });
}

// Weights up to this size are read whole by each tile of samples; past it, panel by panel of batch_panel_bytes.
inline constexpr std::size_t whole_weights_bytes = 32 * 1024;
inline constexpr std::size_t batch_panel_bytes = 32 * 1024;

/// dx[s][i + k] = sum_o w[i + k][o] dz[s][o] for k < Inputs, every s < samples: the rows of w stay in L1 while the
/// samples stream past.
template <class V, std::size_t Padded, std::size_t Inputs, class DzRow, class DxRow, class T>
inline void transposed_products_rows(const T* w, const DzRow* dz, DxRow* dx, std::size_t samples,
                                     std::size_t i) noexcept {
    for (std::size_t s = 0; s < samples; ++s) transposed_rows<V, Padded, Inputs>(w, dz[s].data(), dx[s].data(), i);
}

}  // namespace detail

/// z[s] = b + W^T x[s] for s < samples: `z[s][o] = b[o] + sum_i x[s][i] * w[i * Padded + o]` for every o < Padded.
/// `w` and `b` are aligned, their padding lanes zero, so those of z[s] are zero; z rows are aligned (`ZRow`'s
/// length a whole number of registers) and at least Padded long; x rows at least In long, not necessarily aligned.
template <class Arch, std::size_t In, std::size_t Padded, class T, std::size_t XLength, std::size_t ZLength>
inline void batch_affine(const T* w, const T* b, const std::array<T, XLength>* x, std::array<T, ZLength>* z,
                         std::size_t samples) noexcept {
    static_assert(Padded % width<T, Arch> == 0, "ctnn::simd::batch_affine: Padded must be a whole number of registers");
    static_assert(XLength >= In && ZLength >= Padded && ZLength % width<T, Arch> == 0,
                  "ctnn::simd::batch_affine: rows too short or not whole registers");
    // A layer whose weights pass L1's size (784 x 128 floats: 392 KB) goes panel by panel of rows: each panel (32 KB)
    // is read from L2 once and serves every sample from L1, and z holds the partial sums in between.
    constexpr std::size_t panel = In * Padded * sizeof(T) <= detail::whole_weights_bytes
                                      ? In
                                      : std::max<std::size_t>(1, detail::batch_panel_bytes / (Padded * sizeof(T)));
    constexpr std::size_t whole = In / panel * panel;
    for (std::size_t from = 0; from < whole; from += panel) {
        detail::affine_samples<Arch, panel, Padded>(w, from == 0 ? b : nullptr, x, z, samples, from);
    }
    if constexpr (whole < In)
        detail::affine_samples<Arch, In - whole, Padded>(w, whole == 0 ? b : nullptr, x, z, samples, whole);
}

/// dw += sum_s x[s] dz[s]^T over s < samples: `dw[i * Padded + o] += sum_s x[s][i] * dz[s][o]`, the weight
/// gradient of a batch, read and written once. Padding lanes of every dz[s] are zero, so those of dw stay zero;
/// dz rows are aligned, x rows need not be.
template <class Arch, std::size_t In, std::size_t Padded, class T, std::size_t XLength, std::size_t DzLength>
inline void batch_add_outer_products(T* dw, const std::array<T, XLength>* x, const std::array<T, DzLength>* dz,
                                     std::size_t samples) noexcept {
    static_assert(Padded % width<T, Arch> == 0,
                  "ctnn::simd::batch_add_outer_products: Padded must be a whole number of registers");
    static_assert(XLength >= In && DzLength >= Padded && DzLength % width<T, Arch> == 0,
                  "ctnn::simd::batch_add_outer_products: rows too short or not whole registers");
    constexpr std::size_t inputs = detail::tile_shape<T, Arch, Padded / width<T, Arch>>::rows;
    std::size_t i = 0;
    for (; i + inputs <= In; i += inputs) detail::outer_products_rows<Arch, Padded, inputs>(dw, x, dz, samples, i);
    detail::with_count<inputs>(In - i,
                               [&](auto n) { detail::outer_products_rows<Arch, Padded, n>(dw, x, dz, samples, i); });
}

/// dx[s] = W dz[s] for s < samples: `dx[s][i] = sum_o w[i * Padded + o] * dz[s][o]` for i < In, the input gradient
/// of a batch. Writes exactly In values of each dx row (which need not be aligned); rows of W are reused from L1
/// across the samples, and the sums of a register's width of inputs are reduced together.
template <class Arch, std::size_t In, std::size_t Padded, class T, std::size_t DzLength, std::size_t DxLength>
inline void batch_transposed_products(const T* w, const std::array<T, DzLength>* dz, std::array<T, DxLength>* dx,
                                      std::size_t samples) noexcept {
    static_assert(
        Padded % width<T, Arch> == 0 && DzLength >= Padded && DzLength % width<T, Arch> == 0 && DxLength >= In,
        "ctnn::simd::batch_transposed_products: rows too short or not whole registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    std::size_t i = 0;
    for (; i + lanes <= In; i += lanes) detail::transposed_products_rows<V, Padded, lanes>(w, dz, dx, samples, i);
    detail::with_count<lanes>(In - i,
                              [&](auto n) { detail::transposed_products_rows<V, Padded, n>(w, dz, dx, samples, i); });
}

/// y += sum_s x[s] over s < samples, `Size` aligned elements per row (the bias gradient of a batch).
template <class Arch, std::size_t Size, class T, std::size_t Length>
inline void batch_add_rows(T* y, const std::array<T, Length>* x, std::size_t samples) noexcept {
    static_assert(Size % width<T, Arch> == 0 && Length >= Size && Length % width<T, Arch> == 0,
                  "ctnn::simd::batch_add_rows: Size and rows must be whole registers");
    using V = vector_t<T, Arch>;
    for (std::size_t o = 0; o < Size; o += width<T, Arch>) {
        V sum = simd::load<V>(y + o);
        for (std::size_t s = 0; s < samples; ++s) sum += simd::load<V>(x[s].data() + o);
        simd::store(y + o, sum);
    }
}

}  // namespace ctnn::simd

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
