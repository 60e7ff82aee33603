// ctnn::round_to_float16 and ctnn::float16_to_float (include/ctnn/float16.hpp) against the long-double reference of
// support/float16_reference.hpp, against g++'s _Float16 where the compiler has it (GCC 12 on x86 converts in software,
// libgcc's __truncsfhf2 / __extendhfsf2; Clang 14 on x86 has no _Float16), and against values worked out by hand from
// the format's definition (IEEE 754-2008, 3.6). The same conversions against x86 F16C's instructions: in
// tests/kernels/f16_kernels_test.cpp (the F16C build) and, on all 2^32 floats, tests/exhaustive.

#include "ctnn/float16.hpp"

#include "ctnn/random.hpp"

#include "support/float16_reference.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>

namespace {

using ctnn::float16_to_float;
using ctnn::round_to_float16;
using ctnn_test::bits_of;
using ctnn_test::float_of;
using ctnn_test::reference_float16;

// C++ code has _Float16 with GCC 12 on x86 (GCC 13 elsewhere); Clang 14 has it on x86 only with AVX512-FP16.
#if defined(__GNUC__) && !defined(__clang__) && (__GNUC__ >= 13 || (__GNUC__ >= 12 && defined(__x86_64__)))
#define CTNN_TEST_HAS_FLOAT16 1
#endif

#ifdef CTNN_TEST_HAS_FLOAT16
constexpr bool has_float16_type = true;
/// The compiler's own conversion of `value` to _Float16, as its bits.
std::uint16_t compiler_float16(float value) {
    const auto half = static_cast<_Float16>(value);
    std::uint16_t bits = 0;
    std::memcpy(&bits, &half, sizeof bits);
    return bits;
}
#else
constexpr bool has_float16_type = false;
std::uint16_t compiler_float16(float) {
    return 0;
}
#endif

/// "" when round_to_float16 agrees with the reference (and _Float16, where there is one) for the non-NaN float of
/// pattern `bits`; otherwise what each gave.
std::string disagreement(std::uint32_t bits) {
    const float value = float_of(bits);
    const float want = reference_float16(value);
    const std::uint16_t got = round_to_float16(value);
    const bool compiler_agrees = !has_float16_type || compiler_float16(value) == got;
    if (bits_of(float16_to_float(got)) == bits_of(want) && compiler_agrees) return {};
    std::ostringstream out;
    out << std::hex << "0x" << bits << ": got 0x" << got << " (" << float16_to_float(got) << "), want " << want;
    if (has_float16_type) out << ", _Float16 0x" << compiler_float16(value);
    return out.str();
}

/// Checks every pattern `make(k)` for k < count with one CHECK.
template <class Make>
void check_patterns(std::uint32_t count, Make make) {
    std::uint32_t failures = 0;
    std::string first;
    for (std::uint32_t k = 0; k < count; ++k) {
        const std::string why = disagreement(make(k));
        if (!why.empty() && failures++ == 0) first = why;
    }
    INFO(failures << " of " << count << " differ; first: " << first);
    CHECK(failures == 0);
}

/// A binary16 pattern whose exponent is not all ones: a number (normal, subnormal or zero).
bool is_finite_half(std::uint32_t bits) {
    return (bits & 0x7c00u) != 0x7c00u;
}

}  // namespace

TEST_CASE("round_to_float16 rounds worked examples to nearest, ties to even", "[float16]") {
    // 1 + 2^-11 lies halfway between 1 (0x3c00, last bit even) and 1 + 2^-10 (0x3c01): down to even.
    CHECK(round_to_float16(1.0f + 0x1p-11f) == 0x3c00);
    // 1 + 3 2^-11 lies halfway between 1 + 2^-10 (0x3c01, odd) and 1 + 2^-9 (0x3c02): up to even.
    CHECK(round_to_float16(1.0f + 3 * 0x1p-11f) == 0x3c02);
    CHECK(round_to_float16(std::nextafter(1.0f + 0x1p-11f, 0.0f)) == 0x3c00);
    CHECK(round_to_float16(std::nextafter(1.0f + 0x1p-11f, 2.0f)) == 0x3c01);
    // pi = 3.14159265 lies between 3.140625 (0x4248) and 3.142578125 (0x4249), 0.000968 from the first and 0.000985
    // from the second.
    CHECK(round_to_float16(3.14159265f) == 0x4248);
    CHECK(round_to_float16(-3.14159265f) == 0xc248);
    // A carry out of the fraction steps the exponent: 2 - 2^-12 is nearer 2 (0x4000) than 2 - 2^-10 (0x3bff).
    CHECK(round_to_float16(2.0f - 0x1p-12f) == 0x4000);
    static_assert(round_to_float16(1.0f) == 0x3c00 && round_to_float16(-2.0f) == 0xc000);
    static_assert(float16_to_float(0x3c00) == 1.0f && float16_to_float(0x4248) == 3.140625f);
    static_assert(float16_to_float(0x7bff) == 65504.0f && float16_to_float(0x0001) == 0x1p-24f);
}

TEST_CASE("round_to_float16 takes the format's boundaries", "[float16]") {
    SECTION("overflow: 65504 is the largest finite value; from the midpoint 65520 on, infinity") {
        CHECK(round_to_float16(65504.0f) == 0x7bff);
        CHECK(round_to_float16(std::nextafter(65520.0f, 0.0f)) == 0x7bff);
        // 65520 lies halfway between 65504 (significand 2047, odd) and 2^16 (even): up, beyond the format.
        CHECK(round_to_float16(65520.0f) == 0x7c00);
        CHECK(round_to_float16(-65520.0f) == 0xfc00);
        CHECK(round_to_float16(65536.0f) == 0x7c00);
        CHECK(round_to_float16(std::numeric_limits<float>::max()) == 0x7c00);
        CHECK(round_to_float16(std::numeric_limits<float>::infinity()) == 0x7c00);
        CHECK(round_to_float16(-std::numeric_limits<float>::infinity()) == 0xfc00);
        CHECK(reference_float16(65520.0f) == std::numeric_limits<float>::infinity());
    }
    SECTION("zeros keep their sign") {
        CHECK(round_to_float16(0.0f) == 0x0000);
        CHECK(round_to_float16(-0.0f) == 0x8000);
    }
    SECTION("subnormal results: multiples of 2^-24, no flush to zero") {
        // The smallest subnormal 2^-24, and half of it, 2^-25: a tie between 0 (even) and 2^-24 (odd): to zero.
        CHECK(round_to_float16(0x1p-24f) == 0x0001);
        CHECK(round_to_float16(0x1p-25f) == 0x0000);
        CHECK(round_to_float16(-0x1p-25f) == 0x8000);
        CHECK(round_to_float16(std::nextafter(0x1p-25f, 1.0f)) == 0x0001);
        CHECK(round_to_float16(std::nextafter(0x1p-25f, 0.0f)) == 0x0000);
        // 3 2^-25 lies between 2^-24 (odd) and 2^-23 (even): up.
        CHECK(round_to_float16(3 * 0x1p-25f) == 0x0002);
        // The float subnormals, far below 2^-25: to zero.
        CHECK(round_to_float16(std::numeric_limits<float>::denorm_min()) == 0x0000);
        CHECK(round_to_float16(-std::numeric_limits<float>::min()) == 0x8000);
        // The normal/subnormal boundary: the largest subnormal 1023 2^-24, the smallest normal 2^-14 (0x0400), and the
        // tie between them, which goes up to the even 0x0400.
        CHECK(round_to_float16(1023 * 0x1p-24f) == 0x03ff);
        CHECK(round_to_float16(0x1p-14f) == 0x0400);
        CHECK(round_to_float16(2047 * 0x1p-25f) == 0x0400);
        CHECK(round_to_float16(std::nextafter(2047 * 0x1p-25f, 0.0f)) == 0x03ff);
        // Just below 2^-14: the smallest normal.
        CHECK(round_to_float16(std::nextafter(0x1p-14f, 0.0f)) == 0x0400);
        CHECK(float16_to_float(0x03ff) == 1023 * 0x1p-24f);
    }
}

TEST_CASE("round_to_float16 agrees with the long-double reference", "[float16]") {
    SECTION("every binary16 number with the floats around it and around both its midpoints") {
        // For each finite half h, float offsets from h and from the midpoint to the next half up in magnitude:
        // h, h +- 1 ulp, the midpoint -1, 0, +1 ulp, h + 2^(13 - 1) ulps - 1 (for normal h the float's 13 dropped
        // bits).
        check_patterns(65536 * 8, [&](std::uint32_t k) {
            const std::uint32_t half = k / 8;
            if (!is_finite_half(half)) return 0u;
            const std::uint32_t h = bits_of(float16_to_float(static_cast<std::uint16_t>(half)));
            const std::uint32_t next = bits_of(float16_to_float(static_cast<std::uint16_t>(half + 1)));
            // The midpoint between h and its successor in magnitude (exact in float: one more bit than binary16).
            const std::uint32_t mid =
                bits_of((float_of(h & 0x7fffffffu) + float_of(next & 0x7fffffffu)) / 2) | (h & 0x80000000u);
            const std::uint32_t choices[8] = {h, h + 1, h == 0 ? 0u : h - 1, mid - 1, mid, mid + 1, mid + 0x80u, h + 7};
            const std::uint32_t bits = choices[k % 8];
            return (bits & 0x7f800000u) == 0x7f800000u ? 0u : bits;
        });
    }
    SECTION("every pattern of the 13 bits binary16 drops, for a few significands of every exponent near its range") {
        // Float exponents 2^-27 to 2^16 (below: zero; above: infinity) x 2 signs, significands with upper bits 0, 1,
        // 0x2aa, 0x3ff and every lower 13 bits (for subnormal results the lower bits of the kept part too).
        const std::uint32_t upper[] = {0x000u, 0x001u, 0x2aau, 0x3ffu};
        constexpr std::uint32_t first = 127 - 27, exponents = 27 + 16 + 1;
        check_patterns(2 * exponents * 4 * 8192, [&](std::uint32_t k) {
            const std::uint32_t sign = k / (exponents * 4 * 8192) << 31, rest = k % (exponents * 4 * 8192);
            const std::uint32_t exponent = first + rest / (4 * 8192), low = rest % (4 * 8192);
            return sign | (exponent << 23) | (upper[low / 8192] << 13) | (low % 8192);
        });
    }
    SECTION("random floats") {
        ctnn::Random random(20261201);
        check_patterns(300000, [&](std::uint32_t) {
            const std::uint32_t bits = random();
            return (bits & 0x7f800000u) == 0x7f800000u ? 0u : bits;
        });
    }
}

TEST_CASE("round_to_float16 keeps a NaN a quiet NaN of the same sign with the upper bits of its payload", "[float16]") {
    std::uint32_t checked = 0;
    // Every one of the 23 fraction bits alone, and with the quiet bit, and all ones, for either sign.
    for (std::uint32_t sign : {0u, 0x80000000u}) {
        for (std::uint32_t bit = 0; bit <= 23; ++bit) {
            for (std::uint32_t quiet : {0u, 0x00400000u}) {
                const std::uint32_t fraction = (bit == 23 ? 0x7fffffu : (1u << bit)) | quiet;
                const std::uint32_t bits = sign | 0x7f800000u | fraction;
                const float value = float_of(bits);
                REQUIRE(std::isnan(value));
                const std::uint16_t got = round_to_float16(value);
                INFO(std::hex << "0x" << bits << " -> 0x" << got);
                CHECK(std::isnan(float16_to_float(got)));
                CHECK(std::signbit(float16_to_float(got)) == std::signbit(value));
                // Sign, all-ones exponent, quiet bit 0x0200, and the float's fraction bits 13 to 21 below it.
                CHECK(got == ((bits >> 16 & 0x8000u) | 0x7e00u | (fraction >> 13 & 0x1ffu)));
                ++checked;
            }
        }
    }
    CHECK(checked == 2 * 24 * 2);
}

TEST_CASE("float16_to_float is exact for every pattern", "[float16]") {
    std::uint32_t failures = 0, compared_with_compiler = 0;
    for (std::uint32_t bits = 0; bits < 65536; ++bits) {
        const auto pattern = static_cast<std::uint16_t>(bits);
        const float got = float16_to_float(pattern);
        const bool negative = (bits & 0x8000u) != 0;
        const std::uint32_t exponent = (bits >> 10) & 0x1fu, fraction = bits & 0x3ffu;
        bool ok = false;
        if (exponent == 0x1f) {
            // Infinity; a NaN keeps its payload, quiet (as VCVTPH2PS widens it).
            ok = fraction == 0 ? std::isinf(got)
                               : std::isnan(got) && (bits_of(got) & 0x7fffffu) == (0x400000u | (fraction << 13));
        } else {
            // sign x (implicit bit + fraction / 1024) x 2^(exponent - 15), the implicit bit 0 for subnormals.
            const long double significand =
                (exponent == 0 ? 0.0L : 1.0L) + static_cast<long double>(fraction) / 1024.0L;
            const long double value = std::ldexp(significand, exponent == 0 ? -14 : static_cast<int>(exponent) - 15);
            ok = static_cast<long double>(got) == (negative ? -value : value);
#ifdef CTNN_TEST_HAS_FLOAT16
            _Float16 half;
            std::memcpy(&half, &pattern, sizeof half);
            ok = ok && bits_of(static_cast<float>(half)) == bits_of(got);
            ++compared_with_compiler;
#endif
        }
        ok = ok && std::signbit(got) == negative;
        // Widening and rounding back gives the pattern (a NaN with the quiet bit set).
        const bool nan = exponent == 0x1f && fraction != 0;
        ok = ok && round_to_float16(got) == (nan ? (pattern | 0x0200u) : pattern);
        if (!ok && failures++ == 0) FAIL_CHECK("pattern 0x" << std::hex << bits << " widened to " << got);
    }
    CHECK(failures == 0);
    // Every number (not the 2 x 1024 infinities and NaNs) against _Float16, where the compiler has it.
    CHECK(compared_with_compiler == (has_float16_type ? 65536u - 2048u : 0u));
}
