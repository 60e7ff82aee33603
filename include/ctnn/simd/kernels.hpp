#pragma once

/// @file
/// The dense-layer kernels. Weights are stored input-major: row i holds the weights from
/// input i to every output, padded with zeros to whole registers (`padded<T, Arch>(Out)`).
/// A forward pass is then a chain of broadcast-FMAs with no horizontal sums, and the
/// weight gradient is a rank-1 update of the same rows.

#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/bf16_kernels.hpp"
#include "ctnn/simd/load_weights.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace ctnn::simd {

namespace detail {

// About eight independent FMA chains hide the FMA latency on current cores; more spill.
inline constexpr std::size_t fma_chains = 8;

/// Half a unit in the last place of T's largest finite value (2^103 in float, 2^970 in double): a sum a + b with
/// |a| <= max and |b| below it rounds to at most max in magnitude, never to infinity.
template <class T>
inline constexpr T half_ulp_of_max = [] {
    T v = 1;
    for (int e = 0; e < std::numeric_limits<T>::max_exponent - std::numeric_limits<T>::digits - 1; ++e) v *= 2;
    return v;
}();

// A panel of weight rows that fits in half of a 32 KB L1 cache, so that a layer with more output registers than FMA
// chains reads each panel from L2 once and its other blocks of outputs from L1.
inline constexpr std::size_t panel_bytes = 16 * 1024;

/// acc[First][k] + ... + acc[First + Count - 1][k] as a balanced tree: a layer's partial sums meet in about log2(Count)
/// dependent additions instead of Count - 1 in a row (two of 4 cycles each saved per layer with 4 partial sums).
template <std::size_t First, std::size_t Count, class Acc>
[[nodiscard]] inline auto sum_of_partials(const Acc& acc, std::size_t k) noexcept {
    if constexpr (Count == 1) {
        return acc[First][k];
    } else {
        return sum_of_partials<First, Count / 2>(acc, k) +
               sum_of_partials<First + Count / 2, Count - Count / 2>(acc, k);
    }
}

/// affine_block for bfloat16 weights on an instruction set that widens them two registers at a time
/// (load_bfloat16_pair): the accumulators of each pair of registers hold its outputs in the pair order (to_pair_order),
/// so each lane sums the same products in the same order as affine_block, and go back to the outputs' order at the
/// end. Blocks is even.
template <class V, std::size_t In, std::size_t Padded, std::size_t Blocks, std::size_t Partials, class T>
inline void affine_pair_block(const std::uint16_t* w, const T* b, const T* x, T* z, std::size_t first) noexcept {
    static_assert(Blocks % 2 == 0);
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[Partials][Blocks];
    CTNN_UNROLL for (std::size_t k = 0; k < Blocks; k += 2) {
        const T* from = (b ? b : z) + first + k * lanes;
        simd::to_pair_order(simd::load<V>(from), simd::load<V>(from + lanes), acc[0][k], acc[0][k + 1]);
        CTNN_UNROLL for (std::size_t p = 1; p < Partials; ++p) acc[p][k] = acc[p][k + 1] = V(T(0));
    }
    auto add_row = [&](std::size_t p, std::size_t i) {
        const V xi(x[i]);
        const std::uint16_t* row = w + i * Padded + first;
        CTNN_UNROLL for (std::size_t k = 0; k < Blocks; k += 2) {
            V even, odd;
            simd::load_bfloat16_pair(row + k * lanes, even, odd);
            acc[p][k] = simd::fma(xi, even, acc[p][k]);
            acc[p][k + 1] = simd::fma(xi, odd, acc[p][k + 1]);
        }
    };
    constexpr std::size_t whole = In / Partials * Partials;
    for (std::size_t i = 0; i < whole; i += Partials) {
        CTNN_UNROLL for (std::size_t p = 0; p < Partials; ++p) add_row(p, i + p);
    }
    for (std::size_t i = whole; i < In; ++i) add_row(0, i);
    CTNN_UNROLL for (std::size_t k = 0; k < Blocks; k += 2) {
        V low, high;
        simd::from_pair_order(sum_of_partials<0, Partials>(acc, k), sum_of_partials<0, Partials>(acc, k + 1), low,
                              high);
        simd::store(z + first + k * lanes, low);
        simd::store(z + first + (k + 1) * lanes, high);
    }
}

/// Forward for one block of `Blocks` output registers starting at lane `first`, over the
/// `In` inputs from x (rows from w), with `Partials` independent sums over the inputs (a
/// small layer has few output registers, so it splits the input sum instead to keep
/// enough chains in flight). Starts from b, or adds to z when `b` is null. Weights `W`: T, or
/// bfloat16 or binary16 widened as they are loaded (load_weights).
template <class V, std::size_t In, std::size_t Padded, std::size_t Blocks, std::size_t Partials, class T, class W>
inline void affine_block(const W* w, const T* b, const T* x, T* z, std::size_t first) noexcept {
    // No more sums than inputs: an empty partial sum would still cost an addition of zero at the end, on the
    // critical path of a small first layer (2 inputs: three of them).
    constexpr std::size_t sums = std::min(Partials, In);
    if constexpr (std::is_same_v<W, std::uint16_t> && Blocks % 2 == 0 && widens_bfloat16_pairs<V>()) {
        return affine_pair_block<V, In, Padded, Blocks, sums>(w, b, x, z, first);
    }
    constexpr std::size_t lanes = sizeof(V) / sizeof(T);
    V acc[sums][Blocks];
    CTNN_UNROLL for (std::size_t k = 0; k < Blocks; ++k) {
        acc[0][k] = simd::load<V>((b ? b : z) + first + k * lanes);
        CTNN_UNROLL for (std::size_t p = 1; p < sums; ++p) acc[p][k] = V(T(0));
    }
    constexpr std::size_t whole = In / sums * sums;
    for (std::size_t i = 0; i < whole; i += sums) {
        CTNN_UNROLL for (std::size_t p = 0; p < sums; ++p) {
            const V xi(x[i + p]);
            const W* row = w + (i + p) * Padded + first;
            CTNN_UNROLL for (std::size_t k = 0; k < Blocks; ++k) {
                acc[p][k] = simd::fma(xi, simd::load_weights<V>(row + k * lanes), acc[p][k]);
            }
        }
    }
    for (std::size_t i = whole; i < In; ++i) {
        const V xi(x[i]);
        const W* row = w + i * Padded + first;
        CTNN_UNROLL for (std::size_t k = 0; k < Blocks; ++k) {
            acc[0][k] = simd::fma(xi, simd::load_weights<V>(row + k * lanes), acc[0][k]);
        }
    }
    CTNN_UNROLL for (std::size_t k = 0; k < Blocks; ++k) {
        simd::store(z + first + k * lanes, sum_of_partials<0, sums>(acc, k));
    }
}

/// subtract_outer_product with a select for every weight: w = fma(-rate x[i], dz, keep w) where that is finite;
/// in a row where -rate x[i] overflows, fma(-rate, x[i] dz, keep w), so that a zero dz[o] still gives keep w.
/// Returns true when every weight was stored. Out of line, cold, and with run-time sizes (one copy for every layer):
/// callers take it only when an update may overflow, and builds for size (-Os) always. A row whose step -rate x[i]
/// is finite (every row, short of overflow) runs without the extra multiply.
template <class Arch, class T>
[[gnu::noinline, gnu::cold]] bool guarded_outer_product(T* w, const T* x, const T* dz, T rate, T keep, std::size_t in,
                                                        std::size_t padded) noexcept {
    using V = vector_t<T, Arch>;
    const V k(keep);
    V rejected(T(0));
    for (std::size_t i = 0; i < in; ++i) {
        const T s = -rate * x[i];
        T* row = w + i * padded;
        if (std::isfinite(s)) {
            const V step(s);
            for (std::size_t o = 0; o < padded; o += width<T, Arch>) {
                const V old = simd::load<V>(row + o);
                rejected = simd::store_finite(row + o, simd::fma(step, simd::load<V>(dz + o), old * k), old, rejected);
            }
        } else {
            const V step(-rate), factor(x[i]);
            for (std::size_t o = 0; o < padded; o += width<T, Arch>) {
                const V old = simd::load<V>(row + o);
                const V updated = simd::fma(step, factor * simd::load<V>(dz + o), old * k);
                rejected = simd::store_finite(row + o, updated, old, rejected);
            }
        }
    }
    return simd::reduce_add(rejected) == T(0);
}

/// subtract_scaled with a select for every element; as guarded_outer_product, one copy for every size.
template <class Arch, class T>
[[gnu::noinline, gnu::cold]] bool guarded_scaled(T* y, const T* x, T rate, T keep, std::size_t size) noexcept {
    using V = vector_t<T, Arch>;
    const V step(-rate), k(keep);
    V rejected(T(0));
    for (std::size_t o = 0; o < size; o += width<T, Arch>) {
        const V old = simd::load<V>(y + o);
        rejected = simd::store_finite(y + o, simd::fma(step, simd::load<V>(x + o), old * k), old, rejected);
    }
    return simd::reduce_add(rejected) == T(0);
}

}  // namespace detail

/// The test that lets an update kernel run unguarded: true when fma(p, d, keep c), the SGD step
/// of subtract_outer_product and subtract_scaled, is finite for every finite c, every |p| <=
/// |step_bound| and every |d| <= d_bound. |keep| <= 1 keeps |keep c| <= max, and a + b with
/// |a| <= max and |b| below half an ulp of max rounds to at most max. Rounding is monotonic and
/// the threshold a power of two, so a rounded product below it means the exact one is below it
/// too. False when an argument is infinite or NaN. For subtract_outer_product, step_bound =
/// rate sum_i |x[i]| and d_bound = sum_o |dz[o]| (simd::sum_abs): the sums bound every term.
template <class T>
[[nodiscard]] inline bool cannot_overflow(T keep, T step_bound, T d_bound) noexcept {
    const T p = simd::abs(step_bound);
    return simd::abs(keep) <= T(1) && p <= std::numeric_limits<T>::max() && p * d_bound < detail::half_ulp_of_max<T>;
}

/// z = b + W^T x: `z[o] = b[o] + sum_i x[i] * w[i * Padded + o]` for every o < Padded.
/// `w`, `b` and `z` are aligned; padding lanes of `w` and `b` are zero, so are those of `z`.
/// Weights are `T`, or bfloat16 or binary16 (float T; simd::load_weights) widened exactly as they
/// are loaded, so the sums are those of the widened float weights, in the same order.
template <class Arch, std::size_t In, std::size_t Padded, class T, class W>
inline void affine(const W* w, const T* b, const T* x, T* z) noexcept {
    static_assert(Padded % width<T, Arch> == 0, "ctnn::simd::affine: Padded must be a whole number of registers");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t registers = Padded / lanes;
    constexpr std::size_t blocks = std::min(registers, detail::fma_chains);
    constexpr std::size_t whole_blocks = registers / blocks;
    constexpr std::size_t rest = registers % blocks;
    // Chains = blocks x partials, rounded to the nearest: 5 registers get 2 partials (10 chains), not 1 (5 chains),
    // and the last block of 9 registers (one) gets 4.
    constexpr auto partials_for = [](std::size_t registers_in_block) {
        return std::clamp<std::size_t>((detail::fma_chains + registers_in_block / 2) / registers_in_block, 1, 4);
    };
    constexpr std::size_t partials = partials_for(blocks);
    // One pass over the rows per block of outputs; with several blocks, panel by panel of rows, so that W streams
    // from L2 once (the first block brings a panel into L1, the others find it there). Panels count rows of T
    // whatever W is: the partial sums meet at the end of each panel, so 16-bit weights then give the sums of
    // their float values in the same order, bit for bit (in half the bytes of L1).
    constexpr std::size_t panel =
        registers <= blocks ? In : std::max<std::size_t>(1, detail::panel_bytes / (Padded * sizeof(T)));
    auto blocks_over = [&]<std::size_t Rows>(std::size_t i, const T* bias) {
        for (std::size_t r = 0; r < whole_blocks; ++r) {
            detail::affine_block<V, Rows, Padded, blocks, partials>(w + i * Padded, bias, x + i, z, r * blocks * lanes);
        }
        if constexpr (rest != 0) {
            detail::affine_block<V, Rows, Padded, rest, partials_for(rest)>(w + i * Padded, bias, x + i, z,
                                                                            whole_blocks * blocks * lanes);
        }
    };
    if constexpr (panel >= In) {
        blocks_over.template operator()<In>(0, b);
    } else {
        constexpr std::size_t whole_panels = In / panel;
        for (std::size_t p = 0; p < whole_panels; ++p)
            blocks_over.template operator()<panel>(p * panel, p == 0 ? b : nullptr);
        if constexpr (In % panel != 0) blocks_over.template operator()<In % panel>(whole_panels * panel, nullptr);
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

/// w = keep w - rate x dz^T: `w[i * Padded + o] = keep * w[i * Padded + o] - rate * x[i] * dz[o]`, the SGD
/// step with L2 decay (keep = 1 - rate * decay) applied to a rank-1 gradient without materialising it, computed
/// as fma(-rate x[i], dz[o], keep w). Padding lanes of `dz` and `w` are zero, so those of `w` stay zero.
///
/// `Guarded` (the default): a weight whose new value, computed in T, is not finite (the update overflowed) keeps its
/// value, bit for bit, at the price of a select for every register (detail::guarded_outer_product). Unguarded,
/// every new value is stored, as fast as the update alone: for callers that have shown with cannot_overflow that
/// none overflows. Returns true when every weight was updated. Both store the same values where they store.
template <class Arch, std::size_t In, std::size_t Padded, bool Guarded = true, class T>
[[nodiscard]] inline bool subtract_outer_product(T* w, const T* x, const T* dz, T rate, T keep) noexcept {
    static_assert(Padded % width<T, Arch> == 0,
                  "ctnn::simd::subtract_outer_product: Padded must be a whole number of registers");
    if constexpr (Guarded) {
        return detail::guarded_outer_product<Arch>(w, x, dz, rate, keep, In, Padded);
    } else {
        using V = vector_t<T, Arch>;
        constexpr std::size_t lanes = width<T, Arch>;
        const V k(keep);
        auto rows = [&](auto decays) {
            for (std::size_t i = 0; i < In; ++i) {
                const V step(-rate * x[i]);
                T* row = w + i * Padded;
                for (std::size_t o = 0; o < Padded; o += lanes) {
                    V old = simd::load<V>(row + o);
                    if constexpr (decltype(decays)::value) old = old * k;
                    simd::store(row + o, simd::fma(step, simd::load<V>(dz + o), old));
                }
            }
        };
        // Without decay (the common case) the multiply is left out of the loop altogether.
        if (keep == T(1)) {
            rows(std::false_type{});
        } else {
            rows(std::true_type{});
        }
        return true;
    }
}

/// y = keep y - rate x over `Size` aligned elements (the SGD step of a bias or a PReLU slope), computed as
/// fma(-rate, x, keep y). `Guarded` as for subtract_outer_product: an element whose new value is not finite keeps
/// its value. Returns true when every element was updated.
template <class Arch, std::size_t Size, bool Guarded = true, class T>
[[nodiscard]] inline bool subtract_scaled(T* y, const T* x, T rate, T keep) noexcept {
    static_assert(Size % width<T, Arch> == 0, "ctnn::simd::subtract_scaled: Size must be a whole number of registers");
    if constexpr (Guarded) {
        return detail::guarded_scaled<Arch>(y, x, rate, keep, Size);
    } else {
        using V = vector_t<T, Arch>;
        const V step(-rate), k(keep);
        for (std::size_t o = 0; o < Size; o += width<T, Arch>) {
            simd::store(y + o, simd::fma(step, simd::load<V>(x + o), simd::load<V>(y + o) * k));
        }
        return true;
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
