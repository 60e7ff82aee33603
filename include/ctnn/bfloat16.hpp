#pragma once

/// @file
/// The bfloat16 number format as bit patterns: float to bfloat16, rounded to nearest with
/// ties to even, and bfloat16 back to float (exact).
///
/// bfloat16 is the upper half of an IEEE 754 binary32: a sign, the same 8-bit exponent and
/// 7 fraction bits (8 significant bits), so every finite bfloat16 is a float and the range is
/// float's. A value is held as its 16 bits in a `std::uint16_t`.

#include <bit>
#include <cstdint>

namespace ctnn {

/// The float whose upper 16 bits are `bits` and whose lower 16 bits are zero: exact, for
/// every pattern (a NaN keeps its sign and payload).
[[nodiscard]] constexpr float bfloat16_to_float(std::uint16_t bits) noexcept {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

/// `value` rounded to bfloat16, as its 16 bits.
///
/// Finite values and infinities: round to nearest, ties to even, on the bit pattern: add
/// 0x7fff plus the lowest kept bit, then keep the upper 16 bits. This is
/// `c10::detail::round_to_nearest_even` (c10/util/BFloat16.h), which `torch.Tensor.bfloat16()`
/// uses, and IEEE 754's roundTiesToEven: subnormals round like any other value (no flush to
/// zero), +-0 and +-inf stay, and a value at or beyond the midpoint between bfloat16's largest
/// finite value (0x7f7f, 3.3895e38) and 2^128 rounds to infinity, so float's largest does.
///
/// NaN: stays a NaN of the same sign, quiet, with the upper 7 bits of its payload (the
/// upper 16 bits with the quiet bit 0x0040 set), as Intel's VCVTNEPS2BF16 converts it.
/// c10 returns the canonical 0x7fc0 instead, which loses the sign; rounding the pattern
/// would turn a NaN whose payload lies in the lower bits into infinity.
[[nodiscard]] constexpr std::uint16_t round_to_bfloat16(float value) noexcept {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);
    // A finite value or an infinity: the carry out of the lower half rounds the upper half up; the
    // magnitude's bits never overflow 32 bits (at most 0x7f800000 + 0x8000).
    const std::uint32_t rounding_bias = 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>((bits + rounding_bias) >> 16);
}

}  // namespace ctnn
