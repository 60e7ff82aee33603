#pragma once

/// @file
/// The kernel steps of Thumb-2 M-profile cores without the DSP extension (Armv7-M: Cortex-M3; Armv8-M
/// Mainline without DSP) for simd/int8_kernels.hpp (uint8 activations times int8 weights into int32; the
/// policy interface is described in simd/int8_x86.hpp): 4 inputs a step, read as one 32-bit word each
/// (`ldr` loads unaligned words on these cores). Each byte of a word is one bit-field extraction (`ubfx`
/// for the activations, `sbfx` for the weights; `uxtb`, `sxtb`, `lsr #24` and `asr #24` for the end
/// bytes) and each product one `mla`. The four activations of a step serve 4 rows, so a product costs
/// its weight's extraction, its `mla` and a share of the loads and the loop: 2.76 to 2.80 instructions
/// on the Cortex-M3 (784 x 128 and 128 x 64, -Os and -O2, tools/int8-instructions), against 5.0 for the
/// portable loop (`ldrb`, `ldrsb`, `mla`, compare, branch). Exact: int32 products and sums, as the
/// portable loop's.
///
/// Blocks of 4 rows run one asm statement a step (tile_1x4); the last Out % 4 rows, and rows more than
/// 1365 bytes apart, the plain C++ steps, from which the compilers form the same extractions.
/// Where unaligned word loads are not allowed (`-mno-unaligned-access`: no `__ARM_FEATURE_UNALIGNED`)
/// the portable loop stays.

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && defined(__ARM_ARCH_ISA_THUMB) && \
    __ARM_ARCH_ISA_THUMB == 2 && !(defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32) &&     \
    defined(__ARM_FEATURE_UNALIGNED)
#define CTNN_INT8_ARMV7M 1
#else
#define CTNN_INT8_ARMV7M 0
#endif

namespace ctnn::simd::detail {

#if CTNN_INT8_ARMV7M
struct int8_armv7m {
    /// A step's four activations, one a register.
    struct bytes {
        std::int32_t b0, b1, b2, b3;
    };
    static constexpr std::size_t chunk = 4, rows = 4, tile_samples = 1, tile_rows = 4;
    using x_type = bytes;
    using acc_type = std::int32_t;

    [[nodiscard]] static std::uint32_t word(const void* p) noexcept {
        std::uint32_t v;
        std::memcpy(&v, p, sizeof v);  // one ldr
        return v;
    }
    [[nodiscard]] static bytes load_x(const std::uint8_t* p) noexcept {
        const std::uint32_t v = word(p);
        return {static_cast<std::int32_t>(v & 0xffu), static_cast<std::int32_t>((v >> 8) & 0xffu),
                static_cast<std::int32_t>((v >> 16) & 0xffu), static_cast<std::int32_t>(v >> 24)};
    }
    /// The weights stay one word until mac extracts them, one register a row.
    template <std::size_t Bytes>
    [[nodiscard]] static std::uint32_t load_w(const std::int8_t* p) noexcept {
        static_assert(Bytes == 4);
        return word(p);
    }
    // Inlined also at -Os, where GCC 12 would call it: the activations would go through the stack.
    [[nodiscard, gnu::always_inline]] static std::int32_t mac(std::int32_t acc, const bytes& x,
                                                              std::uint32_t w) noexcept {
        acc += x.b0 * static_cast<std::int8_t>(w);
        acc += x.b1 * static_cast<std::int8_t>(w >> 8);
        acc += x.b2 * static_cast<std::int8_t>(w >> 16);
        return acc + x.b3 * static_cast<std::int8_t>(w >> 24);
    }
    [[nodiscard]] static std::int32_t sum(std::int32_t v) noexcept { return v; }

    // One chunk of tile_1x4: four activations from xp, four weights of each row from wp (rows Stride bytes apart),
    // xp and wp advanced by a chunk. Inlined also at -Os, where GCC 12 would call it and keep the sums in memory.
    template <std::size_t Stride>
    [[gnu::always_inline]] static void step_1x4(std::int32_t& s0, std::int32_t& s1, std::int32_t& s2, std::int32_t& s3,
                                                const std::uint8_t*& xp, const std::int8_t*& wp) noexcept {
        std::int32_t b0, b1, b2, b3, ww, t;
        __asm__(
            "ldr %[b3], [%[x]], #4\n\t"
            "uxtb %[b0], %[b3]\n\t"
            "ubfx %[b1], %[b3], #8, #8\n\t"
            "ubfx %[b2], %[b3], #16, #8\n\t"
            "lsr %[b3], %[b3], #24\n\t"
            "ldr %[ww], [%[w]], #4\n\t"
            "sxtb %[t], %[ww]\n\t"
            "mla %[s0], %[b0], %[t], %[s0]\n\t"
            "sbfx %[t], %[ww], #8, #8\n\t"
            "mla %[s0], %[b1], %[t], %[s0]\n\t"
            "sbfx %[t], %[ww], #16, #8\n\t"
            "mla %[s0], %[b2], %[t], %[s0]\n\t"
            "asr %[ww], %[ww], #24\n\t"
            "mla %[s0], %[b3], %[ww], %[s0]\n\t"
            "ldr %[ww], [%[w], %[o1]]\n\t"
            "sxtb %[t], %[ww]\n\t"
            "mla %[s1], %[b0], %[t], %[s1]\n\t"
            "sbfx %[t], %[ww], #8, #8\n\t"
            "mla %[s1], %[b1], %[t], %[s1]\n\t"
            "sbfx %[t], %[ww], #16, #8\n\t"
            "mla %[s1], %[b2], %[t], %[s1]\n\t"
            "asr %[ww], %[ww], #24\n\t"
            "mla %[s1], %[b3], %[ww], %[s1]\n\t"
            "ldr %[ww], [%[w], %[o2]]\n\t"
            "sxtb %[t], %[ww]\n\t"
            "mla %[s2], %[b0], %[t], %[s2]\n\t"
            "sbfx %[t], %[ww], #8, #8\n\t"
            "mla %[s2], %[b1], %[t], %[s2]\n\t"
            "sbfx %[t], %[ww], #16, #8\n\t"
            "mla %[s2], %[b2], %[t], %[s2]\n\t"
            "asr %[ww], %[ww], #24\n\t"
            "mla %[s2], %[b3], %[ww], %[s2]\n\t"
            "ldr %[ww], [%[w], %[o3]]\n\t"
            "sxtb %[t], %[ww]\n\t"
            "mla %[s3], %[b0], %[t], %[s3]\n\t"
            "sbfx %[t], %[ww], #8, #8\n\t"
            "mla %[s3], %[b1], %[t], %[s3]\n\t"
            "sbfx %[t], %[ww], #16, #8\n\t"
            "mla %[s3], %[b2], %[t], %[s3]\n\t"
            "asr %[ww], %[ww], #24\n\t"
            "mla %[s3], %[b3], %[ww], %[s3]"
            : [s0] "+r"(s0), [s1] "+r"(s1), [s2] "+r"(s2), [s3] "+r"(s3), [x] "+r"(xp), [w] "+r"(wp), [b0] "=&r"(b0),
              [b1] "=&r"(b1), [b2] "=&r"(b2), [b3] "=&r"(b3), [ww] "=&r"(ww), [t] "=&r"(t)
            // The offsets of rows 1 to 3 from the first row's advanced pointer.
            : [o1] "i"(Stride - 4), [o2] "i"(2 * Stride - 4), [o3] "i"(3 * Stride - 4)
            // It reads the activations and weights, which the compiler must have stored; it sets no flags, but the
            // assembler's choice of encodings is not promised.
            : "cc", "memory");
    }

    /// One sample's four rows (int8_tile's block), taken in its place: acc[r] += the sum of row r. A chunk is one asm
    /// statement of 41 instructions (the activations' load and 4 extractions, and per row a load, 4 extractions and 4
    /// `mla`), in 12 registers: compiled from the C++ above, GCC 12 interleaves the rows at -O2 and reloads the weight
    /// words, and keeps the row loop's pointers at -Os, both spilling to the stack. The rows' loads address the
    /// weights from the first row's pointer, so 3 * Stride - 4 is at most 4095 (`ldr`'s 12-bit offset).
    template <std::size_t In, std::size_t Stride>
        requires(3 * Stride - 4 <= 4095)
    static void tile_1x4(const std::uint8_t* x, const std::uint8_t* tails, const std::int8_t* w,
                         std::int32_t* acc) noexcept {
        constexpr std::size_t whole = In / chunk * chunk, tail = In - whole;
        std::int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if constexpr (whole != 0) {
            const std::uint8_t* const end = x + whole;
            do step_1x4<Stride>(s0, s1, s2, s3, x, w);
            while (x != end);
        }
        if constexpr (tail != 0) step_1x4<Stride>(s0, s1, s2, s3, tails, w);
        acc[0] += s0;
        acc[1] += s1;
        acc[2] += s2;
        acc[3] += s3;
    }
};
#endif

}  // namespace ctnn::simd::detail
