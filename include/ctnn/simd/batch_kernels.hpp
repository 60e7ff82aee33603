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
// never runs). The pragmas cover exactly the kernels' lines.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
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

/// Samples as the rows of a matrix: row s starts at `data + s * stride`. The stride is a run-time value so that each
/// kernel is compiled once per layer shape, not once more for every length of row a caller keeps its samples in.
template <class T>
struct strided_rows {
    T* data;
    std::size_t stride;

    [[nodiscard]] T* operator[](std::size_t s) const noexcept { return data + s * stride; }
    [[nodiscard]] strided_rows from(std::size_t s) const noexcept { return {data + s * stride, stride}; }
};

/// The rows of an array of `std::array`s, which lie back to back.
template <class T, std::size_t Length>
[[nodiscard]] inline strided_rows<T> rows_of(std::array<T, Length>* rows) noexcept {
    static_assert(sizeof(std::array<T, Length>) == Length * sizeof(T));
    return {rows->data(), Length};
}

template <class T, std::size_t Length>
[[nodiscard]] inline strided_rows<const T> rows_of(const std::array<T, Length>* rows) noexcept {
    static_assert(sizeof(std::array<T, Length>) == Length * sizeof(T));
    return {rows->data(), Length};
}

/// z[s][first + ...] = b + sum_i x[s][from + i] w[from + i][first + ...] over `Inputs` inputs from `from`, for `Rows`
/// samples and `Columns` registers; adds to z instead when `b` is null. Weights `W`: T, bfloat16 or binary16
/// (load_weights).
template <class V, std::size_t Inputs, std::size_t Padded, std::size_t Rows, std::size_t Columns, class T, class W>
inline void affine_tile(const W* w, const T* b, strided_rows<const T> x, strided_rows<T> z, std::size_t from,
                        std::size_t first) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Rows][Columns];
    CTNN_UNROLL for (std::size_t k = 0; k < Columns; ++k) {
        if (b) {
            const V bias = simd::load<V>(b + first + k * lanes);
            CTNN_UNROLL for (std::size_t s = 0; s < Rows; ++s) acc[s][k] = bias;
        } else {
            CTNN_UNROLL for (std::size_t s = 0; s < Rows; ++s) acc[s][k] = simd::load<V>(z[s] + first + k * lanes);
        }
    }
    for (std::size_t i = from; i < from + Inputs; ++i) {
        const W* row = w + i * Padded + first;
        V weights[Columns];
        CTNN_UNROLL for (std::size_t k = 0; k < Columns; ++k) weights[k] = simd::load_weights<V>(row + k * lanes);
        CTNN_UNROLL for (std::size_t s = 0; s < Rows; ++s) {
            const V xs(x[s][i]);
            CTNN_UNROLL for (std::size_t k = 0; k < Columns; ++k) acc[s][k] = simd::fma(xs, weights[k], acc[s][k]);
        }
    }
    CTNN_UNROLL for (std::size_t s = 0; s < Rows; ++s) {
        CTNN_UNROLL for (std::size_t k = 0; k < Columns; ++k) simd::store(z[s] + first + k * lanes, acc[s][k]);
    }
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
template <class Arch, std::size_t Inputs, std::size_t Padded, std::size_t Rows, class T, class W>
inline void affine_rows(const W* w, const T* b, strided_rows<const T> x, strided_rows<T> z, std::size_t from) noexcept {
    for_each_column_block<T, Arch, Padded>([&](auto columns, std::size_t first) {
        affine_tile<vector_t<T, Arch>, Inputs, Padded, Rows, columns>(w, b, x, z, from, first);
    });
}

/// affine_rows over every sample, tile by tile of samples.
template <class Arch, std::size_t Inputs, std::size_t Padded, class T, class W>
inline void affine_samples(const W* w, const T* b, strided_rows<const T> x, strided_rows<T> z, std::size_t samples,
                           std::size_t from) noexcept {
    constexpr std::size_t rows = tile_shape<T, Arch, Padded / width<T, Arch>>::rows;
    std::size_t s = 0;
    for (; s + rows <= samples; s += rows) affine_rows<Arch, Inputs, Padded, rows>(w, b, x.from(s), z.from(s), from);
    // The samples left, fewer than a tile, in one tile of their count (one sample at a time would cost the 784-wide
    // layer's batch 13 % more instructions for 2 of its 32 samples).
    const std::size_t left = samples - s;
    ctnn::detail::static_for<rows>([&](auto n) {
        if constexpr (n > 0) {
            if (left == n) affine_rows<Arch, Inputs, Padded, n>(w, b, x.from(s), z.from(s), from);
        }
    });
}

/// dw[i + ...][first + ...] += sum_s x[s][i + ...] dz[s][first + ...] for `Inputs` rows of w and `Columns` registers.
template <class V, std::size_t Padded, std::size_t Inputs, std::size_t Columns, class T>
inline void outer_products_tile(T* dw, strided_rows<const T> x, strided_rows<const T> dz, std::size_t samples,
                                std::size_t i, std::size_t first) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Inputs][Columns];
    CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) {
        CTNN_UNROLL for (std::size_t c = 0; c < Columns; ++c) {
            acc[k][c] = simd::load<V>(dw + (i + k) * Padded + first + c * lanes);
        }
    }
    for (std::size_t s = 0; s < samples; ++s) {
        V d[Columns];
        CTNN_UNROLL for (std::size_t c = 0; c < Columns; ++c) d[c] = simd::load<V>(dz[s] + first + c * lanes);
        CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) {
            const V xs(x[s][i + k]);
            CTNN_UNROLL for (std::size_t c = 0; c < Columns; ++c) acc[k][c] = simd::fma(xs, d[c], acc[k][c]);
        }
    }
    CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) {
        CTNN_UNROLL for (std::size_t c = 0; c < Columns; ++c) {
            simd::store(dw + (i + k) * Padded + first + c * lanes, acc[k][c]);
        }
    }
}

/// outer_products_tile over every output register, for `Inputs` rows of w from row i.
template <class Arch, std::size_t Padded, std::size_t Inputs, class T>
inline void outer_products_rows(T* dw, strided_rows<const T> x, strided_rows<const T> dz, std::size_t samples,
                                std::size_t i) noexcept {
    for_each_column_block<T, Arch, Padded>([&](auto columns, std::size_t first) {
        outer_products_tile<vector_t<T, Arch>, Padded, Inputs, columns>(dw, x, dz, samples, i, first);
    });
}

// Weights up to this size are read whole by each tile of samples; past it, panel by panel of batch_panel_bytes.
inline constexpr std::size_t whole_weights_bytes = 32 * 1024;
inline constexpr std::size_t batch_panel_bytes = 32 * 1024;

#if CTNN_SIMD && XSIMD_WITH_AVX512F
/// sums_of for 16 floats. xsimd 8.1's haddp there returns the sums of rows 4, 5, 2, 3 in lanes 2 to 5 (and of 12, 13,
/// 10, 11 in lanes 10 to 13), so each register's halves are added first and the 8-lane haddp (correct) sums each
/// half of the rows.
template <class A>
inline xsimd::batch<float, A> sums_of_16(const xsimd::batch<float, A> (&acc)[16]) noexcept {
    using half = xsimd::batch<float, xsimd::avx2>;
    half halves[16];
    for (std::size_t k = 0; k < 16; ++k) {
        const __m512 v = acc[k];
        const __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
        halves[k] = _mm256_add_ps(_mm512_castps512_ps256(v), high);
    }
    const __m256 low_sums = xsimd::haddp(halves);
    const __m256 high_sums = xsimd::haddp(halves + 8);
    return _mm512_castpd_ps(
        _mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(low_sums)), _mm256_castps_pd(high_sums), 1));
}
#endif

/// The sums of `Count` registers, lane k of the result holding the sum of the lanes of acc[k] (Count = the
/// register's width): one transpose-and-add network instead of `Count` horizontal sums.
template <class V, std::size_t Count>
inline V sums_of(const V (&acc)[Count]) noexcept {
    if constexpr (is_scalar<V>) {
        static_assert(Count == 1);
        return acc[0];
    } else {
#if CTNN_SIMD
#if XSIMD_WITH_AVX512F
        if constexpr (std::is_same_v<V, xsimd::batch<float, typename V::arch_type>> &&
                      std::is_base_of_v<xsimd::avx512f, typename V::arch_type>) {
            return sums_of_16(acc);
        }
#endif
        return xsimd::haddp(acc);
#endif
    }
}

/// dx[i + k] = sum_o w[i + k][o] dz[o] for k < Inputs; a register's width of them reduced together.
template <class V, std::size_t Padded, std::size_t Inputs, class T>
inline void transposed_rows(const T* w, const T* dz, T* dx, std::size_t i) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Inputs];
    CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) acc[k] = V(T(0));
    for (std::size_t o = 0; o < Padded; o += lanes) {
        const V d = simd::load<V>(dz + o);
        CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) {
            acc[k] = simd::fma(simd::load<V>(w + (i + k) * Padded + o), d, acc[k]);
        }
    }
    if constexpr (Inputs == lanes) {
        alignas(V) T sums[lanes];
        simd::store(sums, sums_of(acc));
        CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) dx[i + k] = sums[k];
    } else {
        CTNN_UNROLL for (std::size_t k = 0; k < Inputs; ++k) dx[i + k] = simd::reduce_add(acc[k]);
    }
}

/// dx[s][i + k] = sum_o w[i + k][o] dz[s][o] for k < Inputs, every s < samples: the rows of w stay in L1 while the
/// samples stream past.
template <class V, std::size_t Padded, std::size_t Inputs, class T>
inline void transposed_products_rows(const T* w, strided_rows<const T> dz, strided_rows<T> dx, std::size_t samples,
                                     std::size_t i) noexcept {
    for (std::size_t s = 0; s < samples; ++s) transposed_rows<V, Padded, Inputs>(w, dz[s], dx[s], i);
}

/// batch_affine on strided rows.
template <class Arch, std::size_t In, std::size_t Padded, class T, class W>
inline void affine_panels(const W* w, const T* b, strided_rows<const T> x, strided_rows<T> z,
                          std::size_t samples) noexcept {
    // A layer whose weights pass L1's size (784 x 128 floats: 392 KB) goes panel by panel of rows: each panel (32 KB)
    // is read from L2 once and serves every sample from L1, and z holds the partial sums in between.
    constexpr std::size_t panel = In * Padded * sizeof(W) <= whole_weights_bytes
                                      ? In
                                      : std::max<std::size_t>(1, batch_panel_bytes / (Padded * sizeof(W)));
    constexpr std::size_t whole = In / panel * panel;
    for (std::size_t from = 0; from < whole; from += panel) {
        affine_samples<Arch, panel, Padded>(w, from == 0 ? b : nullptr, x, z, samples, from);
    }
    if constexpr (whole < In)
        affine_samples<Arch, In - whole, Padded>(w, whole == 0 ? b : nullptr, x, z, samples, whole);
}

/// batch_add_outer_products on strided rows.
template <class Arch, std::size_t In, std::size_t Padded, class T>
inline void outer_products(T* dw, strided_rows<const T> x, strided_rows<const T> dz, std::size_t samples) noexcept {
    constexpr std::size_t inputs = tile_shape<T, Arch, Padded / width<T, Arch>>::rows;
    constexpr std::size_t whole = In / inputs * inputs;
    for (std::size_t i = 0; i < whole; i += inputs) outer_products_rows<Arch, Padded, inputs>(dw, x, dz, samples, i);
    if constexpr (whole < In) outer_products_rows<Arch, Padded, In - whole>(dw, x, dz, samples, whole);
}

/// batch_transposed_products on strided rows.
template <class Arch, std::size_t In, std::size_t Padded, class T>
inline void transposed_products(const T* w, strided_rows<const T> dz, strided_rows<T> dx,
                                std::size_t samples) noexcept {
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t whole = In / lanes * lanes;
    for (std::size_t i = 0; i < whole; i += lanes) transposed_products_rows<V, Padded, lanes>(w, dz, dx, samples, i);
    if constexpr (whole < In) transposed_products_rows<V, Padded, In - whole>(w, dz, dx, samples, whole);
}

}  // namespace detail

/// z[s] = b + W^T x[s] for s < samples: `z[s][o] = b[o] + sum_i x[s][i] * w[i * Padded + o]` for every o < Padded.
/// `w` and `b` are aligned, their padding lanes zero, so those of z[s] are zero; z rows are aligned (`ZRow`'s
/// length a whole number of registers) and at least Padded long; x rows at least In long, not necessarily aligned.
/// Weights are `T`, or bfloat16 or binary16 (float T; load_weights) widened exactly as they are loaded (see affine).
template <class Arch, std::size_t In, std::size_t Padded, class T, class W, std::size_t XLength, std::size_t ZLength>
inline void batch_affine(const W* w, const T* b, const std::array<T, XLength>* x, std::array<T, ZLength>* z,
                         std::size_t samples) noexcept {
    static_assert(Padded % width<T, Arch> == 0, "ctnn::simd::batch_affine: Padded must be a whole number of registers");
    static_assert(XLength >= In && ZLength >= Padded && ZLength % width<T, Arch> == 0,
                  "ctnn::simd::batch_affine: rows too short or not whole registers");
    detail::affine_panels<Arch, In, Padded>(w, b, detail::rows_of(x), detail::rows_of(z), samples);
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
    detail::outer_products<Arch, In, Padded>(dw, detail::rows_of(x), detail::rows_of(dz), samples);
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
    detail::transposed_products<Arch, In, Padded>(w, detail::rows_of(dz), detail::rows_of(dx), samples);
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
