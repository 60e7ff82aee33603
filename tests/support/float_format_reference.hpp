#pragma once

// An independent reference for rounding float to a narrower binary floating-point format (bfloat16, IEEE 754 binary16),
// written from the definition of round-to-nearest, ties-to-even (IEEE 754-2008, 4.3.1) in long double arithmetic, with
// no bit tricks: the value is split with frexp into a significand and an exponent, divided by the spacing of the
// format's values at that exponent, and the quotient's fraction decides. The code under test works on bit patterns.

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ctnn_test {

/// A binary floating-point format with subnormals: `significand_bits` significant bits (the implicit one included),
/// normal numbers from 2^min_exponent up to (2 - 2^(1 - significand_bits)) 2^max_exponent.
struct float_format {
    int significand_bits;
    int min_exponent;
    int max_exponent;
};

/// The value of `format` nearest to the finite or infinite `value`, ties to the one with an even last significand bit,
/// as a float (every value of the formats tested is a float; +-infinity when the value rounds beyond the largest
/// finite one). Not for NaN.
inline float reference_round(float value, float_format format) {
    if (std::isinf(value) || value == 0) return value;  // +-0 and +-inf are values of the format
    const long double magnitude = std::fabs(static_cast<long double>(value));
    int exponent = 0;
    std::frexp(magnitude, &exponent);  // magnitude = m 2^exponent, m in [0.5, 1): the leading bit is 2^(exponent - 1)
    // Below the smallest normal the spacing stays that of the subnormals.
    const int leading = exponent - 1 < format.min_exponent ? format.min_exponent : exponent - 1;
    const long double spacing = std::ldexp(1.0L, leading - (format.significand_bits - 1));
    const long double steps = magnitude / spacing;  // exact: a power-of-two division
    const long double below = std::floor(steps);
    const long double fraction = steps - below;
    long double chosen = below;
    if (fraction > 0.5L) {
        chosen = below + 1;
    } else if (fraction == 0.5L) {
        chosen = std::fmod(below, 2.0L) == 0 ? below : below + 1;  // ties to even
    }
    const long double rounded = chosen * spacing;
    // Beyond the largest finite value lies only infinity.
    const long double largest =
        std::ldexp(std::ldexp(1.0L, format.significand_bits) - 1, format.max_exponent - (format.significand_bits - 1));
    const long double result = rounded > largest ? static_cast<long double>(INFINITY) : rounded;
    return static_cast<float>(value < 0 ? -result : result);
}

/// The bit pattern of a float.
inline std::uint32_t bits_of(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// The float of a bit pattern.
inline float float_of(std::uint32_t bits) {
    float value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

}  // namespace ctnn_test
