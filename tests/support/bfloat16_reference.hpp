#pragma once

// An independent reference for rounding float to bfloat16 (8 significant bits, float's exponent range), written from
// the definition of round-to-nearest, ties-to-even, in long double arithmetic, with no bit tricks: the value is split
// with frexp into a significand and an exponent, divided by the spacing of bfloat16 values at that exponent, and the
// quotient's fraction decides. ctnn::round_to_bfloat16 works on bit patterns instead.

#include <cmath>
#include <cstdint>
#include <cstring>

namespace ctnn_test {

/// The bfloat16 value nearest to the finite or infinite `value`, ties to the one with an even last significand bit,
/// as a float (bfloat16 values are floats; +-infinity when the value rounds beyond the largest finite one). Not for
/// NaN.
inline float reference_bfloat16(float value) {
    if (std::isinf(value) || value == 0) return value;  // +-0 and +-inf are bfloat16 values
    const long double magnitude = std::fabs(static_cast<long double>(value));
    int exponent = 0;
    std::frexp(magnitude, &exponent);  // magnitude = m 2^exponent, m in [0.5, 1)
    // bfloat16's smallest normal is 2^-126 (frexp exponent -125); below it the spacing stays that of the subnormals.
    const int spacing_exponent = (exponent < -125 ? -125 : exponent) - 8;
    const long double spacing = std::ldexp(1.0L, spacing_exponent);
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
    // Beyond bfloat16's largest finite value, (2 - 2^-7) 2^127, lies only infinity.
    const long double largest = std::ldexp(255.0L, 120);
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
