#pragma once

/// @file
/// The batch forward kernel for narrow layers: at most half a register of outputs (a binary
/// classifier's one output, three classes). The general kernel (batch_kernels.hpp) keeps a
/// sample's outputs in the lanes of a register, so a one-output layer fills one lane of eight
/// (AVX2) with every broadcast-FMA, and its activation runs on a whole register per sample.
/// Here a register's lanes hold samples instead: each sample's inputs meet a column of W
/// register by register (a dot product), a register's width of samples is summed together (one
/// transpose-and-add network, detail::sums_of), and the activation runs once per register of
/// samples.

#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/batch_kernels.hpp"
#include "ctnn/simd/load_weights.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::simd {

namespace detail {
// The columns of W that batch_affine_activate_narrow copies to the stack at every call: at most this many bytes.
inline constexpr std::size_t narrow_columns_bytes = 8 * 1024;
}  // namespace detail

/// Whether batch_affine_activate_narrow takes a layer of `Out` outputs over `In` inputs whose input rows are
/// `XLength` long: a register has lanes for at least two samples' outputs, the input rows hold whole registers
/// (the kernel loads them so), and the layer's columns fit in detail::narrow_columns_bytes.
template <class T, class Arch, std::size_t In, std::size_t Out, std::size_t XLength>
inline constexpr bool is_narrow_layer = 2 * Out <= width<T, Arch>&& XLength >= padded<T, Arch>(In) &&
                                        Out* padded<T, Arch>(In) * sizeof(T) <= detail::narrow_columns_bytes;

/// y[s][o] = f(b[o] + sum_i x[s][i] w[i * RowStride + o], o) for s < samples, o < Out: a layer's batch forward with
/// its activation, a register's width of samples at a time. `f(z, o)` is output o's activation of a register
/// whose lanes are samples. The padding lanes of every y[s] (o from Out to Padded) get f(0, o), as the general
/// path (batch_affine, then the activation over the padded row) leaves them.
///
/// x rows: at least padded(In) values (is_narrow_layer), not necessarily aligned; the values past In are read
/// and multiplied by zero, so they must be finite (a network's buffer rows are: their padding holds f(0)). y
/// rows: aligned, at least Padded = one register. Weights `W`: T, or bfloat16 or binary16 (float T, load_weights),
/// widened exactly; RowStride apart from one input to the next: Padded in the general layout, 1 for a one-output
/// layer's row (simd/row_kernels.hpp). The sums are those of batch_affine in another order (each sample's products in a
/// register's width of partial sums, then summed across; the bias last), so the outputs equal its outputs up to
/// rounding; each sample's outputs depend on its own inputs alone, whatever the other samples of the batch.
template <class Arch, std::size_t In, std::size_t Out, std::size_t Padded, std::size_t RowStride, class T, class W,
          std::size_t XLength, std::size_t YLength, class F>
inline void batch_affine_activate_narrow(const W* w, const T* b, const std::array<T, XLength>* x,
                                         std::array<T, YLength>* y, std::size_t samples, F&& f) noexcept {
    static_assert(is_narrow_layer<T, Arch, In, Out, XLength>,
                  "ctnn::simd::batch_affine_activate_narrow: not a narrow layer (is_narrow_layer)");
    static_assert(Padded == width<T, Arch> && YLength >= Padded && YLength % width<T, Arch> == 0,
                  "ctnn::simd::batch_affine_activate_narrow: rows of one register expected");
    using V = vector_t<T, Arch>;
    constexpr std::size_t lanes = width<T, Arch>;
    constexpr std::size_t chunks = padded<T, Arch>(In) / lanes;

    // W's columns, contiguous and zero past In, so that a sample's inputs meet them a register at a time.
    alignas(V) T columns[Out][chunks * lanes];
    for (std::size_t o = 0; o < Out; ++o) {
        for (std::size_t i = 0; i < chunks * lanes; ++i) {
            columns[o][i] = i < In ? simd::load_weights<T>(w + i * RowStride + o) : T(0);
        }
    }
    alignas(V) T padding[lanes] = {};
    alignas(V) T lane_numbers[lanes];
    for (std::size_t o = 0; o < lanes; ++o) {
        alignas(V) T value[lanes];
        simd::store(value, f(V(T(0)), o));
        if (o >= Out) padding[o] = value[0];
        lane_numbers[o] = T(o);
    }
    const V padding_row = simd::load<V>(padding);
    const V lane = simd::load<V>(lane_numbers);

    // Output o of the `count` samples from `first` (a register's width but at the end of the batch), a sample a lane.
    auto outputs_of = [&]<bool Whole>(std::size_t o, std::size_t first, std::size_t count, std::bool_constant<Whole>) {
        V acc[lanes];
        CTNN_UNROLL for (std::size_t s = 0; s < lanes; ++s) acc[s] = V(T(0));
        for (std::size_t c = 0; c < chunks; ++c) {
            const V column = simd::load<V>(columns[o] + c * lanes);
            CTNN_UNROLL for (std::size_t s = 0; s < lanes; ++s) {
                if (Whole || s < count) {
                    acc[s] = simd::fma(simd::load_unaligned<V>(x[first + s].data() + c * lanes), column, acc[s]);
                }
            }
        }
        return f(detail::sums_of(acc) + V(b[o]), o);
    };
    // Each sample's row, built in a register from the outputs' registers and stored whole: a narrow layer after this
    // one loads it whole, and a load that spans several stores waits for them to reach the cache.
    auto store_rows = [&](const V(&outputs)[Out], std::size_t first, std::size_t count) {
        ctnn::detail::static_for<lanes>([&](auto s) {
            if (s < count) {
                V row = padding_row;
                CTNN_UNROLL for (std::size_t o = 0; o < Out; ++o) {
                    row = simd::select(lane == V(T(o)), simd::broadcast_lane<s>(outputs[o]), row);
                }
                simd::store(y[first + s].data(), row);
            }
        });
    };
    // Output by output over a few registers of samples: an output's pass loads the samples' inputs afresh, where one
    // register of samples at a time would keep all its inputs live across the outputs (and spill them).
    constexpr std::size_t block = 4;
    for (std::size_t first = 0; first < samples; first += block * lanes) {
        const std::size_t count = std::min(block * lanes, samples - first);
        V outputs[block][Out];
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t g = 0; g * lanes < count; ++g) {
                const std::size_t n = std::min(lanes, count - g * lanes);
                outputs[g][o] = n == lanes ? outputs_of(o, first + g * lanes, n, std::true_type{})
                                           : outputs_of(o, first + g * lanes, n, std::false_type{});
            }
        }
        for (std::size_t g = 0; g * lanes < count; ++g) {
            store_rows(outputs[g], first + g * lanes, std::min(lanes, count - g * lanes));
        }
    }
}

}  // namespace ctnn::simd
