#pragma once

// The checks of the int8 matrix-vector kernels (include/ctnn/simd/int8_kernels.hpp), shared by the host's Catch2 test
// (tests/kernels/int8_kernels_test.cpp) and the Cortex-M firmware test (tests/firmware/int8_kernels.cpp): no heap,
// no exceptions, no I/O. For an arch tag, int8_matvec, int8_batch_matvec and the portable kernels against sums
// computed here in int64, one product at a time, for every shape of a list (inputs around each kernel's step of 4, 8,
// 16 and 64, outputs around its blocks of rows; rows as short as the contract allows and padded by 12 zero bytes), on
// random values of the whole ranges, on the extremes (every activation 255 with every weight 127 or -128, where a
// multiply-add that saturates pairs of products to int16, such as pmaddubsw, is wrong) and on values drawn from the
// edges of both ranges (activations 0, 1, 127, 128, 254, 255; weights -128, -127, -1, 0, 1, 127; where a kernel that
// extracts bytes from words extends one with the wrong sign or from the wrong position, it is wrong), at alignments
// that vary; with the weights in each layout the kernels read (simd/int8_layout.hpp: rows, and groups of 4 inputs
// interleaved across outputs, which the AVX-512 VNNI kernel reads and, on the scalar arch, the portable loop). The
// operands can end where their static buffers end, so with AddressSanitizer a read past the bytes the contract
// promises is an error. The bytes of an activation row past In (rows of the batch but the last) are random: the
// kernels must not use them.

#include "ctnn/random.hpp"
#include "ctnn/simd/int8_kernels.hpp"

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace int8_checks {

enum class Fill { random, max_times_max, max_times_min, edges };

/// The first sum that differed: which kernel, shape and sample, what it was and what it should have been.
struct failure {
    const char* kernel = "";
    std::size_t out = 0, in = 0, stride = 0, slack = 0, samples = 0, index = 0;
    std::int64_t got = 0, want = 0;
};

struct result {
    std::size_t checked = 0, failed = 0;  // sums
    failure first;
};

/// How the checks run: sample counts 1 .. max_samples for the batch kernel, operands ending `slacks` bytes before the
/// ends of their buffers, the interleaved_4 layout too (where the arch reads it, and on the scalar arch) or only rows
/// (the firmware: no kernel of its reads it).
struct options {
    std::size_t max_samples = 9;
    std::size_t slacks[3] = {0, 1, 3};
    std::size_t slack_count = 3;
    bool interleaved = true;
};

inline constexpr std::size_t max_out = 145, max_in = 1401, max_stride = (max_in + 3) / 4 * 4 + 12, max_samples = 9,
                             max_slack = 3, max_weights = 128 * max_stride;

// Static buffers (no heap on the firmware), sized for the largest shape.
inline std::uint8_t x_buffer[max_slack + (max_samples - 1) * max_stride + max_in];
inline std::int8_t w_buffer[max_slack + max_weights];
inline std::int32_t got_sums[max_samples * max_out], portable_sums[max_samples * max_out],
    start_sums[max_samples * max_out];
inline std::int64_t want_sums[max_samples * max_out];

constexpr std::size_t round_up_4(std::size_t n) {
    return (n + 3) / 4 * 4;
}

template <std::size_t Out, std::size_t In, std::size_t Stride>
void compare(const char* kernel, const std::int32_t* got, std::size_t samples, std::size_t slack, result& r) {
    for (std::size_t k = 0; k < samples * Out; ++k) {
        ++r.checked;
        if (std::int64_t{got[k]} != want_sums[k] && r.failed++ == 0)
            r.first = {kernel, Out, In, Stride, slack, samples, k, got[k], want_sums[k]};
    }
}

template <class Arch, std::size_t Out, std::size_t In, std::size_t Stride,
          ctnn::simd::int8_layout Layout = ctnn::simd::int8_layout::rows>
void check_shape(Fill fill, const options& opt, result& r) {
    static_assert(Out <= max_out && In <= max_in && Stride <= max_stride && Out * Stride <= max_weights);
    constexpr bool rows = Layout == ctnn::simd::int8_layout::rows;
    const auto at = [](std::size_t o, std::size_t i) {
        return ctnn::simd::int8_weight_index<Layout, Out, Stride>(o, i);
    };
    for (std::size_t n = 0; n < opt.slack_count; ++n) {
        for (std::size_t samples = 0; samples <= opt.max_samples; ++samples) {
            // samples == 0: int8_matvec on one sample; otherwise int8_batch_matvec on that many.
            const std::size_t count = samples == 0 ? 1 : samples;
            // The operands end `slack` bytes before their buffers end (with 0, exactly at the end), so their
            // alignment varies with the shape and the slack.
            const std::size_t slack = opt.slacks[n], x_bytes = (count - 1) * Stride + In, w_bytes = Out * Stride;
            std::uint8_t* const x = x_buffer + sizeof x_buffer - x_bytes - slack;
            std::int8_t* const w = w_buffer + sizeof w_buffer - w_bytes - slack;
            ctnn::Random random(
                static_cast<std::uint32_t>(Out * 1000003 + In * 1009 + Stride * 17 + slack * 7 + samples));
            constexpr std::uint8_t x_edges[] = {0, 1, 127, 128, 254, 255};
            constexpr std::int8_t w_edges[] = {-128, -127, -1, 0, 1, 127};
            const auto edge = [&random] { return static_cast<std::size_t>((random() >> 16) % 6); };
            for (std::size_t s = 0; s < count; ++s)
                for (std::size_t i = 0; i < Stride; ++i)
                    if (s + 1 < count || i < In)
                        x[s * Stride + i] = fill == Fill::random  ? static_cast<std::uint8_t>(random() >> 24)
                                            : fill == Fill::edges ? x_edges[edge()]
                                                                  : std::uint8_t{255};
            for (std::size_t o = 0; o < Out; ++o)
                for (std::size_t i = 0; i < Stride; ++i)
                    w[at(o, i)] = i >= In                       ? std::int8_t{0}  // the padding, zero by contract
                                  : fill == Fill::random        ? static_cast<std::int8_t>(random() >> 24)
                                  : fill == Fill::edges         ? w_edges[edge()]
                                  : fill == Fill::max_times_max ? std::int8_t{127}
                                                                : std::int8_t{-128};
            for (std::size_t k = 0; k < count * Out; ++k) {
                start_sums[k] = static_cast<std::int32_t>(random() >> 12) - (1 << 19);
                got_sums[k] = portable_sums[k] = start_sums[k];
                std::int64_t want = start_sums[k];
                const std::size_t s = k / Out, o = k % Out;
                for (std::size_t i = 0; i < In; ++i)
                    want += std::int64_t{x[s * Stride + i]} * std::int64_t{w[at(o, i)]};
                want_sums[k] = want;
            }
            if (samples == 0) {
                ctnn::simd::int8_matvec<Arch, Out, In, Stride, Layout>(x, w, got_sums);
                ctnn::simd::int8_matvec_portable<Out, In, Stride, Layout>(x, w, portable_sums);
                compare<Out, In, Stride>(rows ? "int8_matvec" : "int8_matvec interleaved_4", got_sums, count, slack, r);
                compare<Out, In, Stride>(rows ? "int8_matvec_portable" : "int8_matvec_portable interleaved_4",
                                         portable_sums, count, slack, r);
            } else {
                ctnn::simd::int8_batch_matvec<Arch, Out, In, Stride, Layout>(x, w, got_sums, count);
                ctnn::simd::int8_batch_matvec_portable<Out, In, Stride, Layout>(x, w, portable_sums, count);
                compare<Out, In, Stride>(rows ? "int8_batch_matvec" : "int8_batch_matvec interleaved_4", got_sums,
                                         count, slack, r);
                compare<Out, In, Stride>(
                    rows ? "int8_batch_matvec_portable" : "int8_batch_matvec_portable interleaved_4", portable_sums,
                    count, slack, r);
            }
        }
    }
}

template <class Arch, std::size_t Out, std::size_t... In>
void check_inputs(Fill fill, const options& opt, result& r) {
    (check_shape<Arch, Out, In, round_up_4(In)>(fill, opt, r), ...);
    (check_shape<Arch, Out, In, round_up_4(In) + 12>(fill, opt, r), ...);
    constexpr auto interleaved = ctnn::simd::int8_layout::interleaved_4;
    // The interleaved layout where an arch's kernel reads it (AVX-512 VNNI), and through the portable loop on the
    // scalar arch only: that loop is the same on every arch, and each instantiation costs the build time.
    if constexpr (ctnn::simd::int8_layout_of<Arch> == interleaved || std::is_same_v<Arch, ctnn::simd::scalar_arch>) {
        if (opt.interleaved) {
            (check_shape<Arch, Out, In, round_up_4(In), interleaved>(fill, opt, r), ...);
            (check_shape<Arch, Out, In, round_up_4(In) + 12, interleaved>(fill, opt, r), ...);
        }
    }
}

/// Every shape: Out 1, 3, 10, 128 with In 1, 3, 4, 5, 15, 16, 17, 33, 784, and Out 9 (a row block of 8 and one)
/// with In around the steps of 8 and 64 (SSE2 and NEON, AVX-512 VNNI) and 1401 (rows more than 4095 / 3 bytes apart,
/// past the 12-bit load offsets of the Armv7-M kernel's blocks of 4 rows), and Out 145 (the interleaved VNNI kernel's
/// block of 128 outputs, then a register of one).
template <class Arch>
void check_shapes(Fill fill, const options& opt, result& r) {
    [&]<std::size_t... Out>(std::index_sequence<Out...>) {
        (check_inputs<Arch, Out, 1, 3, 4, 5, 15, 16, 17, 33, 784>(fill, opt, r), ...);
    }
    (std::index_sequence<1, 3, 10, 128>{});
    check_inputs<Arch, 9, 7, 8, 9, 63, 64, 65, 100, 1401>(fill, opt, r);
    check_inputs<Arch, 145, 2, 5, 64>(fill, opt, r);
}

}  // namespace int8_checks
