#pragma once

/// @file
/// The dense-layer kernels. Weights are stored input-major: row i holds the weights from
/// input i to every output, padded with zeros to whole registers (`padded<T, Arch>(Out)`).
/// A forward pass is then a chain of broadcast-FMAs with no horizontal sums, and the
/// weight gradient is a rank-1 update of the same rows.

#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <cstddef>

namespace ctnn::simd {

namespace detail {

// About eight independent FMA chains hide the FMA latency on current cores; more spill.
inline constexpr std::size_t fma_chains = 8;

/// Forward for one block of `Blocks` output registers starting at lane `first`, with
/// `Partials` independent sums over the inputs (a small layer has few output registers,
/// so it splits the input sum instead to keep enough chains in flight).
template <class V, std::size_t In, std::size_t Padded, std::size_t Blocks, std::size_t Partials, class T>
inline void affine_block(const T* w, const T* b, const T* x, T* z, std::size_t first) noexcept {
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Partials][Blocks];
    ctnn::detail::static_for<Blocks>([&](auto k) {
        acc[0][k] = simd::load<V>(b + first + k * lanes);
        ctnn::detail::static_for<Partials - 1>([&](auto p) { acc[p + 1][k] = V(T(0)); });
    });
    constexpr std::size_t whole = In / Partials * Partials;
    for (std::size_t i = 0; i < whole; i += Partials) {
        ctnn::detail::static_for<Partials>([&](auto p) {
            const V xi(x[i + p]);
            const T* row = w + (i + p) * Padded + first;
            ctnn::detail::static_for<Blocks>(
                [&](auto k) { acc[p][k] = simd::fma(xi, simd::load<V>(row + k * lanes), acc[p][k]); });
        });
    }
    for (std::size_t i = whole; i < In; ++i) {
        const V xi(x[i]);
        const T* row = w + i * Padded + first;
        ctnn::detail::static_for<Blocks>(
            [&](auto k) { acc[0][k] = simd::fma(xi, simd::load<V>(row + k * lanes), acc[0][k]); });
    }
    ctnn::detail::static_for<Blocks>([&](auto k) {
        ctnn::detail::static_for<Partials - 1>([&](auto p) { acc[0][k] += acc[p + 1][k]; });
        simd::store(z + first + k * lanes, acc[0][k]);
    });
}

}  // namespace detail

/// z = b + W^T x: `z[o] = b[o] + sum_i x[i] * w[i * Padded + o]` for every o < Padded.
/// `w`, `b` and `z` are aligned; padding lanes of `w` and `b` are zero, so are those of `z`.
template <class Arch, std::size_t In, std::size_t Padded, class T>
inline void affine(const T* w, const T* b, const T* x, T* z) noexcept {
    static_assert(Padded % width<T, Arch> == 0, "ctnn::simd::affine: Padded must be a whole number of registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t registers = Padded / lanes;
    constexpr std::size_t blocks = std::min(registers, detail::fma_chains);
    constexpr std::size_t partials = std::clamp<std::size_t>(detail::fma_chains / blocks, 1, 4);
    constexpr std::size_t whole_blocks = registers / blocks;
    for (std::size_t r = 0; r < whole_blocks; ++r) {
        detail::affine_block<V, In, Padded, blocks, partials>(w, b, x, z, r * blocks * lanes);
    }
    constexpr std::size_t rest = registers % blocks;
    if constexpr (rest != 0) {
        detail::affine_block<V, In, Padded, rest, 1>(w, b, x, z, whole_blocks * blocks * lanes);
    }
}

/// dw += x dz^T: `dw[i * Padded + o] += x[i] * dz[o]`. Padding lanes of `dz` are zero, so
/// those of `dw` stay zero.
template <class Arch, std::size_t In, std::size_t Padded, class T>
inline void add_outer_product(T* dw, const T* x, const T* dz) noexcept {
    static_assert(Padded % width<T, Arch> == 0,
                  "ctnn::simd::add_outer_product: Padded must be a whole number of registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    for (std::size_t i = 0; i < In; ++i) {
        const V xi(x[i]);
        T* row = dw + i * Padded;
        for (std::size_t o = 0; o < Padded; o += lanes) {
            simd::store(row + o, simd::fma(xi, simd::load<V>(dz + o), simd::load<V>(row + o)));
        }
    }
}

/// dx = W dz: `dx[i] = sum_o w[i * Padded + o] * dz[o]` for i < In.
template <class Arch, std::size_t In, std::size_t Padded, class T>
inline void transposed_product(const T* w, const T* dz, T* dx) noexcept {
    static_assert(Padded % width<T, Arch> == 0,
                  "ctnn::simd::transposed_product: Padded must be a whole number of registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    for (std::size_t i = 0; i < In; ++i) {
        const T* row = w + i * Padded;
        V acc = simd::load<V>(row) * simd::load<V>(dz);
        for (std::size_t o = lanes; o < Padded; o += lanes) {
            acc = simd::fma(simd::load<V>(row + o), simd::load<V>(dz + o), acc);
        }
        dx[i] = simd::reduce_add(acc);
    }
}

/// y += x over `Size` aligned elements.
template <class Arch, std::size_t Size, class T>
inline void add(T* y, const T* x) noexcept {
    static_assert(Size % width<T, Arch> == 0, "ctnn::simd::add: Size must be a whole number of registers");
    using V = vector_t<T, Arch>;
    for (std::size_t o = 0; o < Size; o += width<T, Arch>) {
        simd::store(y + o, simd::load<V>(y + o) + simd::load<V>(x + o));
    }
}

/// y = f(x) lane by lane over `Size` aligned elements.
template <class Arch, std::size_t Size, class T, class F>
inline void transform(const T* x, T* y, F f) noexcept {
    static_assert(Size % width<T, Arch> == 0, "ctnn::simd::transform: Size must be a whole number of registers");
    using V = vector_t<T, Arch>;
    for (std::size_t o = 0; o < Size; o += width<T, Arch>) {
        simd::store(y + o, f(simd::load<V>(x + o)));
    }
}

}  // namespace ctnn::simd
