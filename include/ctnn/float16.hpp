#pragma once

/// @file
/// The IEEE 754 binary16 number format ("half", fp16) as bit patterns: float to binary16,
/// rounded to nearest with ties to even, and binary16 back to float (exact).
///
/// binary16 (IEEE 754-2008, section 3.6) has a sign, a 5-bit exponent of bias 15 and 10
/// fraction bits (11 significant bits): the largest finite value is 65504 = (2 - 2^-10) 2^15,
/// the smallest normal 2^-14 and the smallest subnormal 2^-24. Every binary16 value is a float.
/// A value is held as its 16 bits in a `std::uint16_t`.

#include <bit>
#include <cstdint>

namespace ctnn {

/// The float of the binary16 pattern `bits`: exact for every number (normals, subnormals, +-0)
/// and infinity. A NaN stays a NaN of the same sign with the same payload in the upper fraction
/// bits, quiet (the quiet bit 0x00400000 set), as x86 F16C's VCVTPH2PS converts it.
///
/// A normal's exponent is rebiased (15 to 127); a subnormal, k 2^-24 with 0 < k < 1024, is
/// normalised: its leading bit at position p - 1 (p = bit_width(k)) gives the exponent p - 25.
[[nodiscard]] constexpr float float16_to_float(std::uint16_t bits) noexcept {
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    const std::uint32_t fraction = bits & 0x3ffu;
    if (exponent == 0x1f) {
        const std::uint32_t quiet = fraction != 0 ? 0x00400000u : 0u;
        return std::bit_cast<float>(sign | 0x7f800000u | quiet | (fraction << 13));
    }
    if (exponent != 0) return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (fraction << 13));
    if (fraction == 0) return std::bit_cast<float>(sign);
    const auto width = static_cast<std::uint32_t>(std::bit_width(fraction));  // 1 to 10
    return std::bit_cast<float>(sign | ((width + 102) << 23) | ((fraction << (24 - width)) & 0x7fffffu));
}

/// `value` rounded to binary16, as its 16 bits.
///
/// Numbers and infinities: IEEE 754-2008's roundTiesToEven (section 4.3.1), the rounding of
/// PyTorch's `Tensor.half()` (c10::detail::fp16_ieee_from_fp32_value, c10/util/Half.h) and of
/// x86 F16C's VCVTPS2PH with imm8 = 0. Values below the smallest normal, 2^-14, round to the
/// nearest multiple of 2^-24 (a subnormal, zero, or the smallest normal), with no flush to
/// zero: half the smallest subnormal (2^-25) rounds to +-0, anything above it to at least
/// 2^-24. Magnitudes at or beyond 65520, the midpoint between the largest finite value 65504
/// and 2^16, round to infinity; +-0 and +-inf stay.
///
/// NaN: stays a NaN of the same sign, quiet, with the upper 9 bits of its payload (the float's
/// fraction bits 13 to 21, below the quiet bit), as VCVTPS2PH converts it. c10 returns the
/// canonical 0x7e00 instead, which loses the sign.
///
/// Integer arithmetic on the pattern only, so the result does not depend on the floating-point
/// environment (flush-to-zero, rounding mode).
[[nodiscard]] constexpr std::uint16_t round_to_float16(float value) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    const std::uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return static_cast<std::uint16_t>(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
    if (magnitude >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // 65520 and up, infinity
    if (magnitude >= 0x38800000u) {
        // A normal result: rebias the exponent (127 to 15) in place, then round the 13 dropped bits to nearest, ties
        // to even; a carry out of the fraction steps the exponent up, as it should (at most to 0x7bff + 1 = 65504's
        // successor only for magnitudes from 65520, handled above).
        const std::uint32_t rebiased = magnitude - 0x38000000u;
        return static_cast<std::uint16_t>(sign | ((rebiased + 0xfffu + ((rebiased >> 13) & 1u)) >> 13));
    }
    if (magnitude <= 0x33000000u) return sign;  // at most 2^-25, half the smallest subnormal: the tie goes to 0
    // A subnormal result (or the smallest normal, 0x0400, by a carry): the count of 2^-24 steps, the significand
    // shifted right by 126 - exponent (14 to 24 bits), rounded to nearest, ties to even.
    const std::uint32_t significand = (magnitude & 0x7fffffu) | 0x800000u;
    const std::uint32_t shift = 126u - (magnitude >> 23);
    const std::uint32_t steps = significand >> shift;
    const std::uint32_t rest = significand & ((1u << shift) - 1u);
    const std::uint32_t half = 1u << (shift - 1u);
    const bool up = rest > half || (rest == half && (steps & 1u) != 0);
    return static_cast<std::uint16_t>(sign | (steps + (up ? 1u : 0u)));
}

}  // namespace ctnn
