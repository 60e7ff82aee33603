#pragma once

/// @file
/// The x86 kernels' steps for simd/int8_kernels.hpp (uint8 activations times int8 weights into
/// int32): a policy per instruction set, which int8_kernels.hpp's register-blocked loop calls.
///
///   - SSE2 (`int8_sse2`, 8 inputs a step): both operands widened to int16 (zero-extended
///     activations, sign-extended weights), `pmaddwd` multiplies them and adds adjacent products
///     into int32 lanes. Exact: a pair sums to at most 2 * 255 * 128 in magnitude.
///   - AVX2 (`int8_avx2`, 32 inputs a step): `pmaddubsw` multiplies u8 by s8 and adds pairs of
///     products into int16, saturating: on whole activations 2 * 255 * 127 and 2 * 255 * -128
///     are out of range. So the activations are split into nibbles, x = low + 16 * high, whose
///     pairs of products stay within 2 * 15 * 128; eight steps of them add up in int16, then
///     `pmaddwd` by 1 and by 16 widens them into int32. Per 32 products and row: two `pmaddubsw`
///     and two 16-bit adds (the split serves every row), against two widenings, two `pmaddwd`
///     and two 32-bit adds for the widened scheme of SSE2 (bench/int8_bench.cpp compares them).
///   - AVX-512 with VNNI (`int8_avx512vnni`, `__AVX512VNNI__` and `__AVX512BW__`, 64 inputs a
///     step): `vpdpbusd` adds four u8 x s8 products to each int32 lane, exactly. The batch kernel's
///     block of four samples' four rows is inline assembly (`tile_4x4`): from intrinsics GCC 12
///     copies every sum twice around each `vpdpbusd`.
///
/// A policy gives: `chunk` (inputs a step), `rows` (outputs a one-sample pass keeps in
/// registers), `tile_samples` x `tile_rows` (the batch kernel's block of sums in registers),
/// `load_x` (a chunk of activations), `load_w<Bytes>` (`Bytes` weights, a multiple of 4
/// up to a chunk, the rest of the register zero; only those bytes are read), `mac` and `sum`;
/// optionally `block` and `flush` (narrow partial sums widened every `block` chunks),
/// `add_sums<Rows>` (several rows' sums reduced together), and `tile_1x4` / `tile_4x4` (a whole
/// block of one sample's four rows or four samples' four rows, in place of the generic loop).

#include "ctnn/simd/arch.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

#if CTNN_SIMD && XSIMD_WITH_SSE2
#define CTNN_INT8_SSE2 1
#else
#define CTNN_INT8_SSE2 0
#endif
#if CTNN_SIMD && XSIMD_WITH_AVX2
#define CTNN_INT8_AVX2 1
#else
#define CTNN_INT8_AVX2 0
#endif
#if CTNN_SIMD && XSIMD_WITH_AVX512F && defined(__AVX512VNNI__) && defined(__AVX512BW__)
#define CTNN_INT8_AVX512VNNI 1
#else
#define CTNN_INT8_AVX512VNNI 0
#endif

namespace ctnn::simd::detail {

#if CTNN_INT8_SSE2
/// `Bytes` bytes from `p` (4, 8, 12 or 16; any alignment) in the low bytes of a register, the
/// rest zero. Reads only those bytes.
template <std::size_t Bytes>
[[nodiscard]] inline __m128i load_partial_128(const void* p) noexcept {
    static_assert(Bytes == 4 || Bytes == 8 || Bytes == 12 || Bytes == 16);
    const auto* bytes = static_cast<const unsigned char*>(p);
    const auto word = [](const unsigned char* q) {
        std::int32_t v;
        std::memcpy(&v, q, sizeof v);
        return _mm_cvtsi32_si128(v);
    };
    if constexpr (Bytes == 16)
        return _mm_loadu_si128(static_cast<const __m128i*>(p));
    else if constexpr (Bytes == 12)
        return _mm_unpacklo_epi64(_mm_loadl_epi64(static_cast<const __m128i*>(p)), word(bytes + 8));
    else if constexpr (Bytes == 8)
        return _mm_loadl_epi64(static_cast<const __m128i*>(p));
    else
        return word(bytes);
}

struct int8_sse2 {
    static constexpr std::size_t chunk = 8, rows = 8, tile_samples = 4, tile_rows = 2;
    using x_type = __m128i;
    using acc_type = __m128i;

    [[nodiscard]] static __m128i load_x(const std::uint8_t* p) noexcept {
        return _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)), _mm_setzero_si128());
    }
    template <std::size_t Bytes>
    [[nodiscard]] static __m128i load_w(const std::int8_t* p) noexcept {
        const __m128i bytes = load_partial_128<Bytes>(p);
#if defined(__SSE4_1__)
        return _mm_cvtepi8_epi16(bytes);
#else
        // Each byte into the upper half of its 16-bit lane, then shifted down with its sign.
        return _mm_srai_epi16(_mm_unpacklo_epi8(bytes, bytes), 8);
#endif
    }
    [[nodiscard]] static __m128i mac(__m128i acc, __m128i x, __m128i w) noexcept {
        return _mm_add_epi32(acc, _mm_madd_epi16(x, w));
    }
    [[nodiscard]] static std::int32_t sum(__m128i v) noexcept {
        v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
        v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
        return _mm_cvtsi128_si32(v);
    }
    /// out[r] += the sum of row r's lanes, four rows reduced together by a transpose (7 instructions, not 20).
    template <std::size_t Rows>
    static void add_sums(__m128i (&acc)[Rows], std::int32_t* out) noexcept {
        std::size_t r = 0;
        for (; r + 4 <= Rows; r += 4) {
            // [a0+a2, b0+b2, a1+a3, b1+b3] and the same of c and d, then their halves added.
            const __m128i ab =
                _mm_add_epi32(_mm_unpacklo_epi32(acc[r], acc[r + 1]), _mm_unpackhi_epi32(acc[r], acc[r + 1]));
            const __m128i cd =
                _mm_add_epi32(_mm_unpacklo_epi32(acc[r + 2], acc[r + 3]), _mm_unpackhi_epi32(acc[r + 2], acc[r + 3]));
            const __m128i total = _mm_add_epi32(_mm_unpacklo_epi64(ab, cd), _mm_unpackhi_epi64(ab, cd));
            __m128i* const to = reinterpret_cast<__m128i*>(out + r);
            _mm_storeu_si128(to, _mm_add_epi32(_mm_loadu_si128(to), total));
        }
        for (; r < Rows; ++r) out[r] += sum(acc[r]);
    }
};
#endif

#if CTNN_INT8_AVX2
/// The sums of four int32 registers' lanes, in the lanes of one: a, b, c, d.
[[nodiscard]] inline __m128i sum_lanes_4(__m256i a, __m256i b, __m256i c, __m256i d) noexcept {
    const __m256i pairs = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
    return _mm_add_epi32(_mm256_castsi256_si128(pairs), _mm256_extracti128_si256(pairs, 1));
}

struct int8_avx2 {
    /// A chunk of 32 activations split into nibbles, x = low + 16 * high, each in 0 .. 15.
    struct nibbles {
        __m256i low, high;
    };
    /// Per row: the int16 sums of low * w and of high * w (pmaddubsw adds a pair of products), and
    /// the int32 sums they are widened into.
    struct sums {
        __m256i low, high, wide;
    };
    // pmaddubsw's pair of products is at most 2 * 15 * 128 = 3840 in magnitude: 8 chunks add up to
    // 30720, within int16, before flush widens them (pmaddwd by 1 and by 16).
    // The batch kernel's tile is one sample's four rows, as the one-sample pass: with 2 x 2, GCC 12 folds each weight
    // load into every pmaddubsw that reads it (four loads a weight register) and spills a sum; 256 samples of
    // 784-128-64-10 took 877 us so against 771 us (Zen 3, bench/int8_bench.cpp).
    static constexpr std::size_t chunk = 32, block = 8, rows = 4, tile_samples = 1, tile_rows = 4;
    using x_type = nibbles;
    using acc_type = sums;

    [[nodiscard]] static nibbles load_x(const std::uint8_t* p) noexcept {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        const __m256i mask = _mm256_set1_epi8(15);
        return {_mm256_and_si256(v, mask), _mm256_and_si256(_mm256_srli_epi16(v, 4), mask)};
    }
    template <std::size_t Bytes>
    [[nodiscard]] static __m256i load_w(const std::int8_t* p) noexcept {
        if constexpr (Bytes == chunk) {
            return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
        } else if constexpr (Bytes > 16) {
            return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))),
                                           load_partial_128<Bytes - 16>(p + 16), 1);
        } else {
            return _mm256_inserti128_si256(_mm256_setzero_si256(), load_partial_128<Bytes>(p), 0);
        }
    }
    [[nodiscard]] static sums mac(sums acc, nibbles x, __m256i w) noexcept {
        return {_mm256_add_epi16(acc.low, _mm256_maddubs_epi16(x.low, w)),
                _mm256_add_epi16(acc.high, _mm256_maddubs_epi16(x.high, w)), acc.wide};
    }
    static void flush(sums& acc) noexcept {
        const __m256i low = _mm256_madd_epi16(acc.low, _mm256_set1_epi16(1));
        const __m256i high = _mm256_madd_epi16(acc.high, _mm256_set1_epi16(16));
        acc = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_add_epi32(acc.wide, _mm256_add_epi32(low, high))};
    }
    [[nodiscard]] static std::int32_t sum(sums acc) noexcept {
        flush(acc);
        return int8_sse2::sum(_mm_add_epi32(_mm256_castsi256_si128(acc.wide), _mm256_extracti128_si256(acc.wide, 1)));
    }
#if defined(__GNUC__)
    /// One sample's four rows (int8_tile's most common block, taken in its place): acc[r] += the sum of row r. The
    /// chunk loop's body is one asm statement: compiled from intrinsics, GCC 12 folds each weight load into both of
    /// its pmaddubsw (8 loads for 4 rows), reloads the nibble mask and copies every sum between two registers each
    /// chunk, 14 multiply-adds a cycle on Zen 3 where this loop does 23 (1 sample x 4 rows, bench/int8_bench.cpp).
    template <std::size_t In, std::size_t Stride>
    static void tile_1x4(const std::uint8_t* x, const std::uint8_t* tails, const std::int8_t* w,
                         std::int32_t* acc) noexcept {
        constexpr std::size_t whole = In / chunk * chunk, tail = In - whole;
        const __m256i mask = _mm256_set1_epi8(15);
        const std::int8_t *w0 = w, *w1 = w + Stride, *w2 = w + 2 * Stride, *w3 = w + 3 * Stride;
        __m256i wide[4] = {};
        const auto flush = [&](const __m256i(&low)[4], const __m256i(&high)[4]) {
            for (std::size_t r = 0; r < 4; ++r) {
                wide[r] =
                    _mm256_add_epi32(wide[r], _mm256_add_epi32(_mm256_madd_epi16(low[r], _mm256_set1_epi16(1)),
                                                               _mm256_madd_epi16(high[r], _mm256_set1_epi16(16))));
            }
        };
        for (std::size_t first = 0; first < whole; first += block * chunk) {
            const std::size_t end = first + block * chunk < whole ? first + block * chunk : whole;
            __m256i l0 = _mm256_setzero_si256(), l1 = l0, l2 = l0, l3 = l0, h0 = l0, h1 = l0, h2 = l0, h3 = l0;
            for (std::size_t i = first; i < end; i += chunk) {
                __m256i xl, xh, wr, product;
                // Each instruction in both dialects, {AT&T|Intel}, for builds with -masm=intel.
                asm("{vmovdqu (%[x],%[i]), %[xl]|vmovdqu %[xl], [%[x]+%[i]]}\n\t"
                    "{vpsrlw $4, %[xl], %[xh]|vpsrlw %[xh], %[xl], 4}\n\t"
                    "{vpand %[mask], %[xl], %[xl]|vpand %[xl], %[xl], %[mask]}\n\t"
                    "{vpand %[mask], %[xh], %[xh]|vpand %[xh], %[xh], %[mask]}\n\t"
                    "{vmovdqu (%[w0],%[i]), %[wr]|vmovdqu %[wr], [%[w0]+%[i]]}\n\t"
                    "{vpmaddubsw %[wr], %[xl], %[product]|vpmaddubsw %[product], %[xl], %[wr]}\n\t"
                    "{vpaddw %[product], %[l0], %[l0]|vpaddw %[l0], %[l0], %[product]}\n\t"
                    "{vpmaddubsw %[wr], %[xh], %[wr]|vpmaddubsw %[wr], %[xh], %[wr]}\n\t"
                    "{vpaddw %[wr], %[h0], %[h0]|vpaddw %[h0], %[h0], %[wr]}\n\t"
                    "{vmovdqu (%[w1],%[i]), %[wr]|vmovdqu %[wr], [%[w1]+%[i]]}\n\t"
                    "{vpmaddubsw %[wr], %[xl], %[product]|vpmaddubsw %[product], %[xl], %[wr]}\n\t"
                    "{vpaddw %[product], %[l1], %[l1]|vpaddw %[l1], %[l1], %[product]}\n\t"
                    "{vpmaddubsw %[wr], %[xh], %[wr]|vpmaddubsw %[wr], %[xh], %[wr]}\n\t"
                    "{vpaddw %[wr], %[h1], %[h1]|vpaddw %[h1], %[h1], %[wr]}\n\t"
                    "{vmovdqu (%[w2],%[i]), %[wr]|vmovdqu %[wr], [%[w2]+%[i]]}\n\t"
                    "{vpmaddubsw %[wr], %[xl], %[product]|vpmaddubsw %[product], %[xl], %[wr]}\n\t"
                    "{vpaddw %[product], %[l2], %[l2]|vpaddw %[l2], %[l2], %[product]}\n\t"
                    "{vpmaddubsw %[wr], %[xh], %[wr]|vpmaddubsw %[wr], %[xh], %[wr]}\n\t"
                    "{vpaddw %[wr], %[h2], %[h2]|vpaddw %[h2], %[h2], %[wr]}\n\t"
                    "{vmovdqu (%[w3],%[i]), %[wr]|vmovdqu %[wr], [%[w3]+%[i]]}\n\t"
                    "{vpmaddubsw %[wr], %[xl], %[product]|vpmaddubsw %[product], %[xl], %[wr]}\n\t"
                    "{vpaddw %[product], %[l3], %[l3]|vpaddw %[l3], %[l3], %[product]}\n\t"
                    "{vpmaddubsw %[wr], %[xh], %[wr]|vpmaddubsw %[wr], %[xh], %[wr]}\n\t"
                    "{vpaddw %[wr], %[h3], %[h3]|vpaddw %[h3], %[h3], %[wr]}"
                    : [l0] "+x"(l0), [l1] "+x"(l1), [l2] "+x"(l2), [l3] "+x"(l3), [h0] "+x"(h0), [h1] "+x"(h1),
                      [h2] "+x"(h2), [h3] "+x"(h3), [xl] "=&x"(xl), [xh] "=&x"(xh), [wr] "=&x"(wr),
                      [product] "=&x"(product)
                    : [x] "r"(x), [w0] "r"(w0), [w1] "r"(w1), [w2] "r"(w2), [w3] "r"(w3), [i] "r"(i), [mask] "x"(mask),
                      // The bytes read: 32 of x and of each row from i.
                      "m"(*reinterpret_cast<const std::uint8_t(*)[In]>(x)),
                      "m"(*reinterpret_cast<const std::int8_t(*)[4 * Stride]>(w)));
            }
            flush({l0, l1, l2, l3}, {h0, h1, h2, h3});
        }
        if constexpr (tail != 0) {
            constexpr std::size_t bytes = (tail + 3) / 4 * 4;
            const nibbles xs = load_x(tails);
            __m256i low[4], high[4];
            for (std::size_t r = 0; r < 4; ++r) {
                const __m256i wr = load_w<bytes>(w + r * Stride + whole);
                low[r] = _mm256_maddubs_epi16(xs.low, wr);
                high[r] = _mm256_maddubs_epi16(xs.high, wr);
            }
            flush(low, high);
        }
        __m128i* const to = reinterpret_cast<__m128i*>(acc);
        _mm_storeu_si128(to, _mm_add_epi32(_mm_loadu_si128(to), sum_lanes_4(wide[0], wide[1], wide[2], wide[3])));
    }
#endif
    /// out[r] += the sum of row r, four rows reduced together.
    template <std::size_t Rows>
    static void add_sums(sums (&acc)[Rows], std::int32_t* out) noexcept {
        std::size_t r = 0;
        for (; r + 4 <= Rows; r += 4) {
            for (std::size_t k = r; k < r + 4; ++k) flush(acc[k]);
            const __m128i total = sum_lanes_4(acc[r].wide, acc[r + 1].wide, acc[r + 2].wide, acc[r + 3].wide);
            __m128i* const to = reinterpret_cast<__m128i*>(out + r);
            _mm_storeu_si128(to, _mm_add_epi32(_mm_loadu_si128(to), total));
        }
        for (; r < Rows; ++r) out[r] += sum(acc[r]);
    }
};
#endif

#if CTNN_INT8_AVX512VNNI
struct int8_avx512vnni {
    static constexpr std::size_t chunk = 64, rows = 8, tile_samples = 4, tile_rows = 4;
    using x_type = __m512i;
    using acc_type = __m512i;

    [[nodiscard]] static __m512i load_x(const std::uint8_t* p) noexcept { return _mm512_loadu_si512(p); }
    template <std::size_t Bytes>
    [[nodiscard]] static __m512i load_w(const std::int8_t* p) noexcept {
        if constexpr (Bytes == chunk)
            return _mm512_loadu_si512(p);
        else
            return _mm512_maskz_loadu_epi8((__mmask64{1} << Bytes) - 1, p);  // masked bytes are not read
    }
    [[nodiscard]] static __m512i mac(__m512i acc, __m512i x, __m512i w) noexcept {
        return _mm512_dpbusd_epi32(acc, x, w);
    }
    [[nodiscard]] static std::int32_t sum(__m512i v) noexcept { return _mm512_reduce_add_epi32(v); }
#if defined(__GNUC__)
    /// Four samples' four rows (the batch kernel's block, taken in its place): acc[s * acc_stride + r] += the sum of
    /// sample s with row r. The chunk loop's body is two asm statements (two samples each: an asm statement takes at
    /// most 30 operands, and each sum counts twice): compiled from intrinsics, GCC 12 copies each of the 16 sums into
    /// another register and back around every vpdpbusd, whose sum is both a source and the destination (32 moves for
    /// 16 multiply-adds; a block of 4 samples x 128 rows x 768 inputs took 2.1 us so against 1.4 us, this machine).
    template <std::size_t In, std::size_t Stride>
    static void tile_4x4(const std::uint8_t* x, std::size_t x_stride, const std::uint8_t* tails, const std::int8_t* w,
                         std::int32_t* acc, std::size_t acc_stride) noexcept {
        constexpr std::size_t whole = In / chunk * chunk, tail = In - whole;
        // Sums s<sample><row>, sixteen variables, not an array: GCC 12 keeps an array that a lambda takes by reference
        // on the stack, and loads and stores every sum around each asm statement.
        __m512i s00 = _mm512_setzero_si512(), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00,
                s13 = s00, s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        // Sums a and b of two samples whose activations start at xa and xa + x_stride, with the four rows at i.
        const auto two_samples = [&](const std::uint8_t* xa, std::size_t i, __m512i& a0, __m512i& a1, __m512i& a2,
                                     __m512i& a3, __m512i& b0, __m512i& b1, __m512i& b2, __m512i& b3) {
            const std::int8_t *wa = w + i, *wb = w + 2 * Stride + i;
            __m512i xv, yv, wr;
            // Each instruction in both dialects, {AT&T|Intel}, for builds with -masm=intel.
            asm("{vmovdqu64 (%[xa]), %[xv]|vmovdqu64 %[xv], [%[xa]]}\n\t"
                "{vmovdqu64 (%[xa],%[xs]), %[yv]|vmovdqu64 %[yv], [%[xa]+%[xs]]}\n\t"
                "{vmovdqu64 (%[wa]), %[wr]|vmovdqu64 %[wr], [%[wa]]}\n\t"
                "{vpdpbusd %[wr], %[xv], %[a0]|vpdpbusd %[a0], %[xv], %[wr]}\n\t"
                "{vpdpbusd %[wr], %[yv], %[b0]|vpdpbusd %[b0], %[yv], %[wr]}\n\t"
                "{vmovdqu64 (%[wa],%[ws]), %[wr]|vmovdqu64 %[wr], [%[wa]+%[ws]]}\n\t"
                "{vpdpbusd %[wr], %[xv], %[a1]|vpdpbusd %[a1], %[xv], %[wr]}\n\t"
                "{vpdpbusd %[wr], %[yv], %[b1]|vpdpbusd %[b1], %[yv], %[wr]}\n\t"
                "{vmovdqu64 (%[wb]), %[wr]|vmovdqu64 %[wr], [%[wb]]}\n\t"
                "{vpdpbusd %[wr], %[xv], %[a2]|vpdpbusd %[a2], %[xv], %[wr]}\n\t"
                "{vpdpbusd %[wr], %[yv], %[b2]|vpdpbusd %[b2], %[yv], %[wr]}\n\t"
                "{vmovdqu64 (%[wb],%[ws]), %[wr]|vmovdqu64 %[wr], [%[wb]+%[ws]]}\n\t"
                "{vpdpbusd %[wr], %[xv], %[a3]|vpdpbusd %[a3], %[xv], %[wr]}\n\t"
                "{vpdpbusd %[wr], %[yv], %[b3]|vpdpbusd %[b3], %[yv], %[wr]}"
                : [a0] "+v"(a0), [a1] "+v"(a1), [a2] "+v"(a2), [a3] "+v"(a3), [b0] "+v"(b0), [b1] "+v"(b1),
                  [b2] "+v"(b2), [b3] "+v"(b3), [xv] "=&v"(xv), [yv] "=&v"(yv), [wr] "=&v"(wr)
                : [xa] "r"(xa + i), [xs] "r"(x_stride), [wa] "r"(wa), [wb] "r"(wb), [ws] "r"(Stride)
                // It reads memory (the samples' rows are x_stride apart, a length no "m" operand can name).
                : "memory");
        };
        for (std::size_t i = 0; i < whole; i += chunk) {
            two_samples(x, i, s00, s01, s02, s03, s10, s11, s12, s13);
            two_samples(x + 2 * x_stride, i, s20, s21, s22, s23, s30, s31, s32, s33);
        }
        // One sample's last chunk (from `tails`) and its four sums added to out.
        const auto finish = [&](const std::uint8_t* last, std::int32_t* out, __m512i r0, __m512i r1, __m512i r2,
                                __m512i r3) {
            __m512i rows[4] = {r0, r1, r2, r3};
            if constexpr (tail != 0) {
                constexpr std::size_t bytes = (tail + 3) / 4 * 4;
                const __m512i xs = load_x(last);
                rows[0] = mac(rows[0], xs, load_w<bytes>(w + whole));
                rows[1] = mac(rows[1], xs, load_w<bytes>(w + Stride + whole));
                rows[2] = mac(rows[2], xs, load_w<bytes>(w + 2 * Stride + whole));
                rows[3] = mac(rows[3], xs, load_w<bytes>(w + 3 * Stride + whole));
            }
            add_sums<4>(rows, out);
        };
        finish(tails, acc, s00, s01, s02, s03);
        finish(tails + chunk, acc + acc_stride, s10, s11, s12, s13);
        finish(tails + 2 * chunk, acc + 2 * acc_stride, s20, s21, s22, s23);
        finish(tails + 3 * chunk, acc + 3 * acc_stride, s30, s31, s32, s33);
    }
#endif
    /// out[r] += the sum of row r's lanes, four rows reduced together: interleaved and added within 128-bit lanes
    /// (unpack), then the four 128-bit lanes added; 13 instructions for four rows, where four reduce_add take 36.
    template <std::size_t Rows>
    static void add_sums(__m512i (&acc)[Rows], std::int32_t* out) noexcept {
        std::size_t r = 0;
        for (; r + 4 <= Rows; r += 4) {
            // Within each 128-bit lane: [a0+a2, b0+b2, a1+a3, b1+b3], the same of c and d, then [a, b, c, d].
            const __m512i ab =
                _mm512_add_epi32(_mm512_unpacklo_epi32(acc[r], acc[r + 1]), _mm512_unpackhi_epi32(acc[r], acc[r + 1]));
            const __m512i cd = _mm512_add_epi32(_mm512_unpacklo_epi32(acc[r + 2], acc[r + 3]),
                                                _mm512_unpackhi_epi32(acc[r + 2], acc[r + 3]));
            const __m512i abcd = _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd));
            const __m256i halves = _mm256_add_epi32(_mm512_castsi512_si256(abcd), _mm512_extracti64x4_epi64(abcd, 1));
            const __m128i total = _mm_add_epi32(_mm256_castsi256_si128(halves), _mm256_extracti128_si256(halves, 1));
            __m128i* const to = reinterpret_cast<__m128i*>(out + r);
            _mm_storeu_si128(to, _mm_add_epi32(_mm_loadu_si128(to), total));
        }
        for (; r < Rows; ++r) out[r] += sum(acc[r]);
    }
};
#endif

}  // namespace ctnn::simd::detail
