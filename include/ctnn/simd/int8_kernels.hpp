#pragma once

/// @file
/// Integer matrix-vector products for int8-quantized dense layers: uint8 activations times int8
/// weights, summed exactly in int32 (the u8 x s8 scheme of FBGEMM and oneDNN, PyTorch's
/// quantized Linear on x86):
///
///     acc[o] += sum_{i < In} x[i] * w[o][i]     for o < Out
///
/// with `x` uint8 (0 .. 255), `w` int8 (-128 .. 127), Out x Stride weights (Stride a multiple of
/// 4, at least In) in one of the layouts of simd/int8_layout.hpp: output-major rows, w[o][i] at
/// o * Stride + i (every kernel below), or groups of 4 inputs interleaved across the outputs
/// (`interleaved_4`, the layout int8_layout_of<Arch> gives with AVX-512 VNNI; its kernel is
/// simd/int8_x86_interleaved.hpp, and the portable loop reads it on every other arch). Every
/// product and sum is exact: a row's sum stays within In * 255 * 128, which int32 holds for
/// In < 65793 (checked at compile time).
///
/// `int8_matvec_portable` is the reference; `int8_matvec<Arch>` computes the same with the
/// instruction set of the arch tag, whose intrinsics live one header per instruction set
/// (xsimd 8.1 has no integer multiply-add):
///   - x86 (simd/int8_x86.hpp): SSE2 widens both operands to int16 and multiply-adds pairs
///     into int32 (`pmaddwd`); AVX2 splits the activations into nibbles so that `pmaddubsw`
///     (u8 x s8, pairs of products summed to int16 with saturation: 255 * 127 * 2 and
///     255 * -128 * 2 are out of range on whole bytes) cannot saturate; AVX-512 with VNNI
///     (`__AVX512VNNI__`) multiplies u8 by s8 into int32 directly (`vpdpbusd`).
///   - AArch64 (simd/int8_neon.hpp): NEON widening multiply-accumulate (`smlal`); the dot
///     product instructions (`sdot`, `udot`) do not mix signed and unsigned before Armv8.6's
///     i8mm.
///   - Cortex-M with the DSP extension (simd/int8_dsp.hpp, `__ARM_FEATURE_SIMD32`, on the
///     scalar arch tag): two 16-bit multiply-adds per instruction (`smlad`).
///   - Thumb-2 M-profile cores without it (simd/int8_armv7m.hpp, Armv7-M: Cortex-M3; on the
///     scalar arch tag): words of 4 activations shared by 4 rows, bytes extracted by `ubfx` /
///     `sbfx`, one `mla` a product.
/// Other targets (Cortex-M0, Armv7 NEON, ...) use the portable loop.
///
/// Every kernel reads `x` only at 0 .. In-1 and the weights only of inputs 0 .. round_up(In, 4)-1,
/// so neither the end of `x` nor the padding of the last row needs room to spare, and no
/// pointer needs any alignment. Columns In .. Stride-1 of `w` are never multiplied by an
/// activation (they are zero by the contract of the callers, but need not be: a kernel that
/// reads them multiplies them by zero).

#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/int8_armv7m.hpp"
#include "ctnn/simd/int8_dsp.hpp"
#include "ctnn/simd/int8_layout.hpp"
#include "ctnn/simd/int8_neon.hpp"
#include "ctnn/simd/int8_x86.hpp"
#include "ctnn/simd/int8_x86_interleaved.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

// The loop over a block's chunks stays rolled: unrolled, GCC 12 schedules all the block's multiplies before their adds
// and spills the products to the stack.
#if defined(__GNUC__) || defined(__clang__)
#define CTNN_INT8_ROLLED _Pragma("GCC unroll 1")
#else
#define CTNN_INT8_ROLLED
#endif

namespace ctnn::simd {

namespace detail {

template <std::size_t Out, std::size_t In, std::size_t Stride>
constexpr bool int8_shape_ok() noexcept {
    static_assert(Out >= 1 && In >= 1, "ctnn::simd::int8_matvec: Out and In are at least 1");
    static_assert(Stride % 4 == 0 && Stride >= In, "ctnn::simd::int8_matvec: Stride is a multiple of 4, at least In");
    // |sum| <= In * 255 * 128 <= INT32_MAX.
    static_assert(In <= 65792, "ctnn::simd::int8_matvec: In > 65792 could overflow the int32 sum");
    return true;
}

/// `Samples` x `Rows` dot products of `In` activations with `In` weights, one accumulator of `P`
/// (an instruction set's policy, simd/int8_*.hpp) each: the activations of every sample serve
/// `Rows` weight rows, each weight row `Samples` samples. `x` holds the samples' rows (`x_stride`
/// bytes apart) of which only the whole chunks are read; `tails` holds each sample's last
/// In % P::chunk activations zero-padded to a chunk (P::chunk bytes apart). A policy whose
/// accumulators hold narrow partial sums gives `block`, the chunks they take before `flush` must
/// widen them. Adds the sums to acc[s * acc_stride + r].
template <class P, std::size_t In, std::size_t Stride, std::size_t Samples, std::size_t Rows>
inline void int8_tile(const std::uint8_t* x, std::size_t x_stride, const std::uint8_t* tails, const std::int8_t* w,
                      std::int32_t* acc, std::size_t acc_stride) noexcept {
    constexpr std::size_t whole = In / P::chunk * P::chunk, tail = In - whole;
    constexpr bool flushes = requires {
        P::block;
    };
    constexpr std::size_t span = [] {
        if constexpr (flushes)
            return P::block * P::chunk;
        else
            return whole;
    }();
    using A = typename P::acc_type;
    using X = typename P::x_type;
    // A policy may give its own loop for one sample's four rows, or four samples' four rows.
    if constexpr (Samples == 1 && Rows == 4 && requires { P::template tile_1x4<In, Stride>(x, tails, w, acc); }) {
        P::template tile_1x4<In, Stride>(x, tails, w, acc);
    } else if constexpr (Samples == 4 && Rows == 4 &&
                         requires { P::template tile_4x4<In, Stride>(x, x_stride, tails, w, acc, acc_stride); }) {
        P::template tile_4x4<In, Stride>(x, x_stride, tails, w, acc, acc_stride);
    } else {
        // Arrays of registers indexed by compile-time constants only (fold expressions, no loops), so
        // they stay in registers even at -Os, where the compiler unrolls nothing.
        [&]<std::size_t... S, std::size_t... R>(std::index_sequence<S...>, std::index_sequence<R...>) {
            A sums[Samples][Rows]{};  // zero: integers and integer vectors value-initialise to zero
            const auto step = [&]<std::size_t Bytes>(const X(&xs)[Samples], std::size_t i) {
                const auto row = [&]<std::size_t Row>(std::integral_constant<std::size_t, Row>) {
                    const auto wr = P::template load_w<Bytes>(w + Row * Stride + i);
                    ((sums[S][Row] = P::mac(sums[S][Row], xs[S], wr)), ...);
                };
                (row(std::integral_constant<std::size_t, R>{}), ...);
            };
            for (std::size_t first = 0; first < whole; first += span) {
                const std::size_t end = first + span < whole ? first + span : whole;
                CTNN_INT8_ROLLED
                for (std::size_t i = first; i < end; i += P::chunk) {
                    const X xs[Samples] = {P::load_x(x + S * x_stride + i)...};
                    step.template operator()<P::chunk>(xs, i);
                }
                if constexpr (flushes) {
                    const auto flush_row = [&]<std::size_t Row>(std::integral_constant<std::size_t, Row>) {
                        (P::flush(sums[S][Row]), ...);
                    };
                    (flush_row(std::integral_constant<std::size_t, R>{}), ...);
                }
            }
            // The tail adds one chunk to flushed sums (`sum` and `add_sums` flush).
            if constexpr (tail != 0) {
                const X xs[Samples] = {P::load_x(tails + S * P::chunk)...};
                step.template operator()<(tail + 3) / 4 * 4>(xs, whole);
            }
            if constexpr (requires { P::template add_sums<Rows>(sums[0], acc); }) {
                (P::template add_sums<Rows>(sums[S], acc + S * acc_stride), ...);
            } else {
                const auto add_row = [&]<std::size_t Row>(std::integral_constant<std::size_t, Row>) {
                    ((acc[S * acc_stride + Row] += P::sum(sums[S][Row])), ...);
                };
                (add_row(std::integral_constant<std::size_t, R>{}), ...);
            }
        }
        (std::make_index_sequence<Samples>{}, std::make_index_sequence<Rows>{});
    }
}

/// int8_tile over every output, P::rows at a time (then the rest), for `Samples` samples whose
/// tails are staged in `tails`.
template <class P, std::size_t Out, std::size_t In, std::size_t Stride, std::size_t Samples, std::size_t Rows>
inline void int8_rows(const std::uint8_t* x, std::size_t x_stride, const std::uint8_t* tails, const std::int8_t* w,
                      std::int32_t* acc, std::size_t acc_stride) noexcept {
    constexpr std::size_t blocked = Out / Rows * Rows;
    for (std::size_t o = 0; o < blocked; o += Rows)
        int8_tile<P, In, Stride, Samples, Rows>(x, x_stride, tails, w + o * Stride, acc + o, acc_stride);
    if constexpr (blocked != Out)
        int8_tile<P, In, Stride, Samples, Out - blocked>(x, x_stride, tails, w + blocked * Stride, acc + blocked,
                                                         acc_stride);
}

/// Stages the last In % P::chunk activations of `Samples` samples, zero-padded to a chunk, and
/// runs int8_rows: the only reads of `x` past the whole chunks are these copies.
template <class P, std::size_t Out, std::size_t In, std::size_t Stride, std::size_t Samples, std::size_t Rows>
inline void int8_samples(const std::uint8_t* x, std::size_t x_stride, const std::int8_t* w,
                         std::int32_t* acc) noexcept {
    constexpr std::size_t whole = In / P::chunk * P::chunk, tail = In - whole;
    alignas(64) std::uint8_t tails[tail != 0 ? Samples * P::chunk : 1] = {};
    if constexpr (tail != 0)
        for (std::size_t s = 0; s < Samples; ++s) std::memcpy(tails + s * P::chunk, x + s * x_stride + whole, tail);
    int8_rows<P, Out, In, Stride, Samples, Rows>(x, x_stride, tails, w, acc, Out);
}

/// Calls `tile.template operator()<Tile>(s)` for s = 0, Tile, 2 Tile, ... while a whole tile of samples is left, then
/// `tile.template operator()<left>(s)` once for the last samples, fewer than a tile (a compile-time count, as the
/// kernels' blocks of samples need).
template <std::size_t Tile, class F>
inline void for_sample_tiles(std::size_t samples, F&& tile) {
    std::size_t s = 0;
    for (; s + Tile <= samples; s += Tile) tile.template operator()<Tile>(s);
    [&]<std::size_t... N>(std::index_sequence<N...>) {
        const std::size_t left = samples - s;
        ((left == N + 1 ? tile.template operator()<N + 1>(s) : void()), ...);
    }
    (std::make_index_sequence<Tile - 1>{});
}

/// The policy of an arch tag's instruction set, or void for the portable loop.
template <class Arch>
constexpr auto int8_policy_of() noexcept {
#if CTNN_SIMD
    if constexpr (!std::is_same_v<Arch, scalar_arch>) {
#if CTNN_INT8_AVX512VNNI
        if constexpr (std::is_base_of_v<xsimd::avx512f, Arch>)
            return std::type_identity<int8_avx512vnni>{};
        else
#endif
#if CTNN_INT8_AVX2
            if constexpr (std::is_base_of_v<xsimd::avx2, Arch> || std::is_base_of_v<xsimd::avx512f, Arch>)
            return std::type_identity<int8_avx2>{};
        else
#endif
#if CTNN_INT8_SSE2
            // AVX without AVX2 has no 256-bit integer instructions: the SSE2 ones.
            if constexpr (std::is_base_of_v<xsimd::sse2, Arch> || std::is_base_of_v<xsimd::avx, Arch>)
                return std::type_identity<int8_sse2>{};
            else
#endif
#if CTNN_INT8_NEON
                if constexpr (std::is_base_of_v<xsimd::neon64, Arch>)
                return std::type_identity<int8_neon>{};
            else
#endif
                return std::type_identity<void>{};
    } else
#endif
    {
#if CTNN_INT8_DSP
        if constexpr (std::is_same_v<Arch, scalar_arch>)
            return std::type_identity<int8_dsp>{};
        else
#endif
#if CTNN_INT8_ARMV7M
            if constexpr (std::is_same_v<Arch, scalar_arch>)
            return std::type_identity<int8_armv7m>{};
        else
#endif
            return std::type_identity<void>{};
    }
}

template <class Arch>
using int8_policy = typename decltype(int8_policy_of<Arch>())::type;

/// The policy for rows of `In` activations: on AVX2, rows shorter than its 32-byte chunk take SSE2's 8-byte one
/// (a row of 16 would otherwise be one zero-padded tail: staged, multiplied and flushed at twice the cost); with VNNI,
/// rows shorter than its 64-byte chunk take AVX2's rule (one 2-16-16-1 sample: 97 ns against 132 ns with a
/// zero-padded chunk, bench/int8_bench.cpp).
template <class Arch, std::size_t In>
constexpr auto int8_policy_for() noexcept {
#if CTNN_INT8_AVX2
    using P = int8_policy<Arch>;
    constexpr bool avx2_rule = std::is_same_v<P, int8_avx2>
#if CTNN_INT8_AVX512VNNI
                               || (std::is_same_v<P, int8_avx512vnni> && In < int8_avx512vnni::chunk)
#endif
        ;
    if constexpr (avx2_rule) {
        if constexpr (In < int8_avx2::chunk)
            return std::type_identity<int8_sse2>{};
        else
            return std::type_identity<int8_avx2>{};
    } else
#endif
        return std::type_identity<int8_policy<Arch>>{};
}

}  // namespace detail

/// The reference: acc[o] += sum_{i < In} x[i] * w[o][i] for o < Out, one product at a time in int32. `x`: In
/// activations; `w`: Out x Stride weights in `Layout` (simd/int8_layout.hpp); `acc`: Out sums.
template <std::size_t Out, std::size_t In, std::size_t Stride, int8_layout Layout = int8_layout::rows>
inline void int8_matvec_portable(const std::uint8_t* x, const std::int8_t* w, std::int32_t* acc) noexcept {
    static_assert(detail::int8_shape_ok<Out, In, Stride>());
    if constexpr (Layout == int8_layout::rows) {
        for (std::size_t o = 0; o < Out; ++o) {
            std::int32_t sum = 0;
            // Pointers, the end of x as the bound, and the test at the bottom (In >= 1): on cores without SIMD
            // (Cortex-M3) two loads, a multiply-add, a compare and a branch per product also at -Os, which neither
            // rotates a loop nor gives an index up for a pointer's increment.
            const std::int8_t* row = w + o * Stride;
            const std::uint8_t* xi = x;
            do {
                sum += static_cast<std::int32_t>(*xi) * static_cast<std::int32_t>(*row);
                ++row;
            } while (++xi != x + In);
            acc[o] += sum;
        }
    } else {
        for (std::size_t o = 0; o < Out; ++o) {
            std::int32_t sum = 0;
            for (std::size_t i = 0; i < In; ++i)
                sum += static_cast<std::int32_t>(x[i]) *
                       static_cast<std::int32_t>(w[int8_weight_index<Layout, Out, Stride>(o, i)]);
            acc[o] += sum;
        }
    }
}

/// The reference for `samples` samples: int8_matvec_portable on each, sample s reading its In
/// activations at x + s * Stride and adding to acc[s * Out .. s * Out + Out-1].
template <std::size_t Out, std::size_t In, std::size_t Stride, int8_layout Layout = int8_layout::rows>
inline void int8_batch_matvec_portable(const std::uint8_t* x, const std::int8_t* w, std::int32_t* acc,
                                       std::size_t samples) noexcept {
    for (std::size_t s = 0; s < samples; ++s)
        int8_matvec_portable<Out, In, Stride, Layout>(x + s * Stride, w, acc + s * Out);
}

/// The layout of the weights that `int8_matvec<Arch>` reads fastest, in which a quantized layer on `Arch` stores
/// them: interleaved_4 with AVX-512 VNNI (no horizontal sums, one sequential stream), rows elsewhere.
template <class Arch>
inline constexpr int8_layout int8_layout_of =
#if CTNN_INT8_AVX512VNNI
    std::is_base_of_v<xsimd::avx512f, Arch> ? int8_layout::interleaved_4 :
#endif
                                            int8_layout::rows;

/// True when `int8_matvec<Arch>` runs an instruction set's kernel rather than the portable loop.
template <class Arch>
inline constexpr bool has_int8_kernel = !std::is_void_v<detail::int8_policy<Arch>>;

/// acc[o] += sum_{i < In} x[i] * w[o][i] for o < Out, exactly, with the instruction set of `Arch` (the file
/// comment lists them; the portable loop where there is none, and for the interleaved_4 layout where it is not
/// int8_layout_of<Arch>).
/// `x`: In activations (uint8, any alignment); `w`: Out x Stride weights (int8) in `Layout` (simd/int8_layout.hpp),
/// Stride a multiple of 4 (any alignment); `acc`: Out int32 sums, added to.
template <class Arch, std::size_t Out, std::size_t In, std::size_t Stride, int8_layout Layout = int8_layout::rows>
inline void int8_matvec(const std::uint8_t* x, const std::int8_t* w, std::int32_t* acc) noexcept {
    static_assert(is_arch<Arch>, "ctnn::simd::int8_matvec: Arch is an arch tag");
    static_assert(detail::int8_shape_ok<Out, In, Stride>());
    using P = typename decltype(detail::int8_policy_for<Arch, In>())::type;
    if constexpr (Layout != int8_layout::rows) {
#if CTNN_INT8_AVX512VNNI
        if constexpr (Layout == int8_layout_of<Arch>) {
            using K = detail::int8_avx512vnni_interleaved;
            K::samples<Out, In, 1, K::one_sample_registers>(x, Stride, w, acc, Out);
        } else
#endif
            int8_matvec_portable<Out, In, Stride, Layout>(x, w, acc);
    } else if constexpr (std::is_void_v<P>) {
        int8_matvec_portable<Out, In, Stride>(x, w, acc);
    } else {
        detail::int8_samples<P, Out, In, Stride, 1, P::rows>(x, Stride, w, acc);
    }
}

/// int8_matvec on `samples` samples: sample s reads its In activations at x + s * Stride (rows of
/// Stride bytes) and adds to acc[s * Out .. s * Out + Out-1]. Register-blocked over samples and
/// outputs (a few samples' sums of a few outputs in registers), so each loaded weight serves
/// several samples and each loaded activation several outputs.
template <class Arch, std::size_t Out, std::size_t In, std::size_t Stride, int8_layout Layout = int8_layout::rows>
inline void int8_batch_matvec(const std::uint8_t* x, const std::int8_t* w, std::int32_t* acc,
                              std::size_t samples) noexcept {
    static_assert(is_arch<Arch>, "ctnn::simd::int8_batch_matvec: Arch is an arch tag");
    static_assert(detail::int8_shape_ok<Out, In, Stride>());
    using P = typename decltype(detail::int8_policy_for<Arch, In>())::type;
    if constexpr (Layout != int8_layout::rows) {
#if CTNN_INT8_AVX512VNNI
        if constexpr (Layout == int8_layout_of<Arch>) {
            using K = detail::int8_avx512vnni_interleaved;
            detail::for_sample_tiles<K::tile_samples>(samples, [&]<std::size_t Count>(std::size_t s) {
                K::samples<Out, In, Count, K::tile_registers>(x + s * Stride, Stride, w, acc + s * Out, Out);
            });
        } else
#endif
            int8_batch_matvec_portable<Out, In, Stride, Layout>(x, w, acc, samples);
    } else if constexpr (std::is_void_v<P>) {
        int8_batch_matvec_portable<Out, In, Stride>(x, w, acc, samples);
    } else {
        detail::for_sample_tiles<P::tile_samples>(samples, [&]<std::size_t Count>(std::size_t s) {
            detail::int8_samples<P, Out, In, Stride, Count, P::tile_rows>(x + s * Stride, Stride, w, acc + s * Out);
        });
    }
}

}  // namespace ctnn::simd

#undef CTNN_INT8_ROLLED
