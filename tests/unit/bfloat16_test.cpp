// ctnn::round_to_bfloat16 and ctnn::bfloat16_to_float (include/ctnn/bfloat16.hpp) against the long-double reference
// of support/bfloat16_reference.hpp, and against values worked out by hand from the format's definition.

#include "ctnn/bfloat16.hpp"

#include "ctnn/random.hpp"

#include "support/bfloat16_reference.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace {

using ctnn::bfloat16_to_float;
using ctnn::round_to_bfloat16;
using ctnn_test::bits_of;
using ctnn_test::float_of;
using ctnn_test::reference_bfloat16;

/// "" when round_to_bfloat16 agrees with the reference for the non-NaN float of pattern `bits`; otherwise both.
std::string disagreement(std::uint32_t bits) {
    const float value = float_of(bits);
    const float want = reference_bfloat16(value);
    const std::uint16_t got = round_to_bfloat16(value);
    // The reference is a float with 8 significant bits: its lower 16 bits are zero, its upper half is the answer.
    if ((bits_of(want) & 0xffffu) == 0 && got == bits_of(want) >> 16) return {};
    std::ostringstream out;
    out << std::hex << "0x" << bits << ": got 0x" << got << ", want 0x" << bits_of(want);
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

// A pattern whose exponent is not all ones: not an infinity or a NaN.
bool is_finite_pattern(std::uint32_t bits) {
    return (bits & 0x7f800000u) != 0x7f800000u;
}

}  // namespace

TEST_CASE("round_to_bfloat16 rounds worked examples to nearest, ties to even", "[bfloat16]") {
    // 1 + 2^-8 lies halfway between 1 (0x3f80, last bit even) and 1 + 2^-7 (0x3f81): down to even.
    CHECK(round_to_bfloat16(1.0f + 0x1p-8f) == 0x3f80);
    // 1 + 3 2^-8 lies halfway between 1 + 2^-7 (0x3f81, odd) and 1 + 2^-6 (0x3f82): up to even.
    CHECK(round_to_bfloat16(1.0f + 3 * 0x1p-8f) == 0x3f82);
    // Just below and just above the first tie.
    CHECK(round_to_bfloat16(std::nextafter(1.0f + 0x1p-8f, 0.0f)) == 0x3f80);
    CHECK(round_to_bfloat16(std::nextafter(1.0f + 0x1p-8f, 2.0f)) == 0x3f81);
    // pi = 3.14159...: 3.140625 (0x4049) and 3.15625 (0x404a) surround it; 3.140625 is nearer.
    CHECK(round_to_bfloat16(3.14159265f) == 0x4049);
    CHECK(round_to_bfloat16(-3.14159265f) == 0xc049);
    // The same, in a constant expression.
    static_assert(round_to_bfloat16(1.0f) == 0x3f80 && round_to_bfloat16(-2.0f) == 0xc000);
    static_assert(bfloat16_to_float(0x3f80) == 1.0f && bfloat16_to_float(0x4049) == 3.140625f);
}

TEST_CASE("round_to_bfloat16 agrees with the long-double reference", "[bfloat16]") {
    SECTION("every upper half with the lower halves around a tie, zero and the extremes") {
        // Lower halves: 0 (exact), 1, just below a tie, the tie, just above it, the largest.
        const std::uint32_t lower[] = {0x0000, 0x0001, 0x7fff, 0x8000, 0x8001, 0xffff};
        check_patterns(65536 * 6, [&](std::uint32_t k) {
            const std::uint32_t bits = ((k / 6) << 16) | lower[k % 6];
            return is_finite_pattern(bits) ? bits : 0u;
        });
    }
    SECTION("exact ties round to the even neighbour, up from odd and down from even, for either sign") {
        std::uint32_t up = 0, down = 0;
        for (std::uint32_t upper = 0; upper < 65536; ++upper) {
            const std::uint32_t bits = (upper << 16) | 0x8000u;
            if (!is_finite_pattern(bits)) continue;
            const std::uint16_t got = round_to_bfloat16(float_of(bits));
            // An odd upper half rounds away from zero (up in magnitude), an even one toward zero.
            const std::uint32_t want = (upper & 1u) ? upper + 1 : upper;
            if (got == want) {
                ++((upper & 1u) ? up : down);
            } else {
                FAIL_CHECK("tie 0x" << std::hex << bits << " gave 0x" << got);
            }
        }
        // Finite upper halves: 2 x 255 exponents x 128 significands, half of them odd.
        CHECK(up == 255 * 128);
        CHECK(down == 255 * 128);
    }
    SECTION("random floats") {
        ctnn::Random random(20261130);
        check_patterns(200000, [&](std::uint32_t) {
            const std::uint32_t bits = random();
            return is_finite_pattern(bits) ? bits : 0u;
        });
    }
}

TEST_CASE("round_to_bfloat16 keeps zeros, infinities and subnormals in the rule", "[bfloat16]") {
    CHECK(round_to_bfloat16(0.0f) == 0x0000);
    CHECK(round_to_bfloat16(-0.0f) == 0x8000);
    CHECK(round_to_bfloat16(std::numeric_limits<float>::infinity()) == 0x7f80);
    CHECK(round_to_bfloat16(-std::numeric_limits<float>::infinity()) == 0xff80);

    SECTION("subnormals round like other values: no flush to zero") {
        // Smallest float subnormal, 2^-149: far below half of bfloat16's smallest subnormal (2^-133): to zero.
        CHECK(round_to_bfloat16(float_of(0x00000001u)) == 0x0000);
        // Half of 2^-133 is a tie between 0 (even) and 2^-133 (odd): to zero; a hair above it: up.
        CHECK(round_to_bfloat16(float_of(0x00008000u)) == 0x0000);
        CHECK(round_to_bfloat16(float_of(0x00008001u)) == 0x0001);
        // 3 2^-134 lies between 2^-133 (odd) and 2^-132 (even): up, for either sign.
        CHECK(round_to_bfloat16(float_of(0x00018000u)) == 0x0002);
        CHECK(round_to_bfloat16(float_of(0x80018000u)) == 0x8002);
        // The largest subnormal float rounds up to the smallest normal, 2^-126.
        CHECK(round_to_bfloat16(float_of(0x007fffffu)) == 0x0080);
        CHECK(bfloat16_to_float(0x0001) == std::ldexp(1.0f, -133));
    }
    SECTION("values at and beyond half an ulp above the largest bfloat16 round to infinity") {
        // bfloat16's largest finite value is 0x7f7f = 255 2^120; its last bit is odd, so the tie rounds up, to 2^128.
        CHECK(round_to_bfloat16(std::numeric_limits<float>::max()) == 0x7f80);
        CHECK(round_to_bfloat16(-std::numeric_limits<float>::max()) == 0xff80);
        CHECK(round_to_bfloat16(float_of(0x7f7f8000u)) == 0x7f80);
        CHECK(round_to_bfloat16(float_of(0x7f7f7fffu)) == 0x7f7f);
        CHECK(reference_bfloat16(std::numeric_limits<float>::max()) == std::numeric_limits<float>::infinity());
    }
}

TEST_CASE("round_to_bfloat16 keeps a NaN a quiet NaN of the same sign with the upper bits of its payload",
          "[bfloat16]") {
    std::uint32_t checked = 0;
    // Every upper half of a NaN, with lower halves that a rounding of the pattern would carry out of; and the NaNs
    // whose payload lies only in the lower half (exponent all ones, upper fraction bits zero).
    for (std::uint32_t sign : {0u, 0x80000000u}) {
        for (std::uint32_t fraction = 0; fraction < 128; ++fraction) {
            for (std::uint32_t lower : {0x0000u, 0x0001u, 0x7fffu, 0x8000u, 0xffffu}) {
                const std::uint32_t bits = sign | 0x7f800000u | (fraction << 16) | lower;
                if ((bits & 0x7fffffu) == 0) continue;  // an infinity
                const float value = float_of(bits);
                REQUIRE(std::isnan(value));
                const std::uint16_t got = round_to_bfloat16(value);
                const float widened = bfloat16_to_float(got);
                INFO(std::hex << "0x" << bits << " -> 0x" << got);
                CHECK(std::isnan(widened));
                CHECK(std::signbit(widened) == std::signbit(value));
                CHECK((got & 0x0040u) != 0);                         // quiet
                CHECK((got | 0x0040u) == ((bits >> 16) | 0x0040u));  // sign, exponent, upper payload kept
                ++checked;
            }
        }
    }
    CHECK(checked == 2 * (128 * 5 - 1));
}

TEST_CASE("bfloat16_to_float is exact for every pattern", "[bfloat16]") {
    std::uint32_t failures = 0;
    for (std::uint32_t bits = 0; bits < 65536; ++bits) {
        const auto pattern = static_cast<std::uint16_t>(bits);
        const float got = bfloat16_to_float(pattern);
        const bool negative = (bits & 0x8000u) != 0;
        const std::uint32_t exponent = (bits >> 7) & 0xffu, fraction = bits & 0x7fu;
        bool ok = false;
        if (exponent == 0xff) {
            ok = fraction == 0 ? std::isinf(got) : std::isnan(got);
        } else {
            // sign x (implicit bit + fraction / 128) x 2^(exponent - 127), the implicit bit 0 for subnormals.
            const long double significand = (exponent == 0 ? 0.0L : 1.0L) + static_cast<long double>(fraction) / 128.0L;
            const long double value = std::ldexp(significand, exponent == 0 ? -126 : static_cast<int>(exponent) - 127);
            ok = static_cast<long double>(got) == (negative ? -value : value);
        }
        ok = ok && std::signbit(got) == negative;
        // Widening and rounding back gives the pattern (NaNs are quiet already when the quiet bit is set).
        const bool quiet_nan = exponent == 0xff && fraction != 0;
        ok = ok && (quiet_nan ? round_to_bfloat16(got) == (pattern | 0x0040u) : round_to_bfloat16(got) == pattern);
        if (!ok && failures++ == 0) FAIL_CHECK("pattern 0x" << std::hex << bits << " widened to " << got);
    }
    CHECK(failures == 0);
}
