#pragma once

/// @file
/// The AVX-512 VNNI kernel of simd/int8_kernels.hpp on weights in the `interleaved_4` layout
/// (simd/int8_layout.hpp): uint8 activations times int8 weights into int32, exactly.
///
/// For each group of 4 inputs, the group's 4 activations of a sample are broadcast to the 16
/// int32 lanes of a register, and `vpdpbusd` adds their products with 16 outputs' 4 weights (one
/// 64-byte load of the group's row of weights) to those outputs' 16 sums. A block of `Samples`
/// samples x `Registers` registers of outputs keeps its sums in registers through every group and
/// adds them to the int32 results once at the end: no horizontal sums, and the weights read in one
/// sequential stream per block (where the `rows` layout reads several rows of 784 bytes at once:
/// 784-128-64-10's first layer took 1.4x as long in a test program on an AVX-512 VNNI machine,
/// about 900 ns against 640 ns; bench/README.md). The last register of a block whose outputs end within it loads and
/// adds only their lanes (masked), so a layer needs no padding outputs.

#include "ctnn/simd/int8_x86.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace ctnn::simd::detail {

#if CTNN_INT8_AVX512VNNI
struct int8_avx512vnni_interleaved {
    /// The block of the one-sample pass (8 registers: 128 outputs, all of a 784-128-64-10 layer in one stream) and
    /// of the batch pass (4 samples x 4 registers: each weight register serves 4 samples, 16 sums and 8 operands
    /// within the 32 registers).
    static constexpr std::size_t one_sample_registers = 8, tile_samples = 4, tile_registers = 4;

    /// sum += the products of x's and w's bytes, four to an int32 lane (vpdpbusd). An asm statement whose sum is both
    /// input and output in one register: from the intrinsic, GCC 12 copies every sum into another register and back
    /// around each vpdpbusd, and spills some (a block of 4 samples x 4 registers: 16 copies a group of 4 inputs).
    static void multiply_add(__m512i& sum, __m512i x, __m512i w) noexcept {
#if defined(__GNUC__)
        // Both dialects, {AT&T|Intel}, for builds with -masm=intel.
        asm("{vpdpbusd %[w], %[x], %[sum]|vpdpbusd %[sum], %[x], %[w]}" : [sum] "+v"(sum) : [x] "v"(x), [w] "v"(w));
#else
        sum = _mm512_dpbusd_epi32(sum, x, w);
#endif
    }

    /// The 4 activations of group g of sample s (the staged tail for the last, partial group) in every lane.
    static __m512i activations(const std::uint8_t* x, std::size_t x_stride, const std::uint32_t* tails, std::size_t s,
                               std::size_t g, bool tail) noexcept {
        std::int32_t word;
        if (tail)
            word = static_cast<std::int32_t>(tails[s]);
        else
            std::memcpy(&word, x + s * x_stride + g * 4, sizeof word);
        return _mm512_set1_epi32(word);
    }

    /// Register r of the group's row of weights at `row` (the last register of the block: its LastLanes outputs).
    template <std::size_t Registers, std::size_t LastLanes>
    static __m512i weights(const std::int8_t* row, std::size_t r) noexcept {
        if (r + 1 < Registers || LastLanes == 16) return _mm512_loadu_si512(row + r * 64);
        constexpr __mmask64 bytes = LastLanes == 16 ? ~__mmask64{0} : (__mmask64{1} << (LastLanes * 4)) - 1;
        return _mm512_maskz_loadu_epi8(bytes, row + r * 64);  // the masked bytes are not read
    }

    /// acc[s * acc_stride + o] += sum_{i < In} x[s * x_stride + i] w[o][i] for s < Samples and the Registers x 16
    /// outputs o from `first` (the last register's `LastLanes` of them). `w`: the layer's Out x Stride weights,
    /// interleaved_4; `tails`: each sample's last In % 4 activations, zero-padded to a 4-byte word (the only bytes
    /// of x read past its whole groups). Sum k is sample k / Registers's register k % Registers: one pack over the
    /// sums, each indexed by a constant of a fold expression. With loops over samples and registers (even unrolled)
    /// or lambdas that take the sums by reference, GCC 12 at -O2 keeps them in memory and loads and stores each
    /// around its vpdpbusd; the broadcasts and loads that several sums share are computed once (common
    /// subexpressions: nothing in between writes memory).
    template <std::size_t Out, std::size_t In, std::size_t Samples, std::size_t Registers, std::size_t LastLanes,
              std::size_t... K>
    static void block(std::index_sequence<K...>, const std::uint8_t* x, std::size_t x_stride,
                      const std::uint32_t* tails, const std::int8_t* w, std::size_t first, std::int32_t* acc,
                      std::size_t acc_stride) noexcept {
        static_assert(LastLanes >= 1 && LastLanes <= 16 && sizeof...(K) == Samples * Registers);
        constexpr std::size_t groups = (In + 3) / 4, group_bytes = Out * 4;
        constexpr __mmask16 last_lanes = static_cast<__mmask16>((1u << LastLanes) - 1);
        __m512i sums[sizeof...(K)] = {(static_cast<void>(K), _mm512_setzero_si512())...};
        const std::int8_t* row = w + first * 4;
        for (std::size_t g = 0; g < groups; ++g, row += group_bytes) {
            const bool tail = In % 4 != 0 && g + 1 == groups;
            (multiply_add(sums[K], activations(x, x_stride, tails, K / Registers, g, tail),
                          weights<Registers, LastLanes>(row, K % Registers)),
             ...);
        }
        const auto add = [&](std::size_t k, __m512i sum) {
            std::int32_t* const out = acc + k / Registers * acc_stride + first + k % Registers * 16;
            if (k % Registers + 1 < Registers || LastLanes == 16)
                _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_loadu_si512(out), sum));
            else
                _mm512_mask_storeu_epi32(out, last_lanes,
                                         _mm512_add_epi32(_mm512_maskz_loadu_epi32(last_lanes, out), sum));
        };
        (add(K, sums[K]), ...);
    }

    /// block over every output, Registers registers at a time (then the rest), for Samples samples; stages their
    /// last In % 4 activations.
    template <std::size_t Out, std::size_t In, std::size_t Samples, std::size_t Registers>
    static void samples(const std::uint8_t* x, std::size_t x_stride, const std::int8_t* w, std::int32_t* acc,
                        std::size_t acc_stride) noexcept {
        std::uint32_t tails[Samples] = {};
        if constexpr (In % 4 != 0)
            for (std::size_t s = 0; s < Samples; ++s) std::memcpy(&tails[s], x + s * x_stride + In / 4 * 4, In % 4);
        constexpr std::size_t per_block = Registers * 16, blocked = Out / per_block * per_block, rest = Out - blocked;
        for (std::size_t first = 0; first < blocked; first += per_block)
            block<Out, In, Samples, Registers, 16>(std::make_index_sequence<Samples * Registers>{}, x, x_stride, tails,
                                                   w, first, acc, acc_stride);
        if constexpr (rest != 0) {
            constexpr std::size_t registers = (rest + 15) / 16;
            block<Out, In, Samples, registers, rest - (registers - 1) * 16>(
                std::make_index_sequence<Samples * registers>{}, x, x_stride, tails, w, blocked, acc, acc_stride);
        }
    }
};
#endif

}  // namespace ctnn::simd::detail
