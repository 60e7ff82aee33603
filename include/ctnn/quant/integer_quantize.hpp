#pragma once

/// @file
/// QuantizationParams::quantize_with_inverse in integer arithmetic, bit for bit, for cores whose float arithmetic is
/// software (Cortex-M3: each float multiply, addition and comparison is a library call). The float steps are
/// q = clamp(round_half_even(clamp_or_low(x * inverse, -256, 256)) + zero_point, 0, 255), with the product rounded to
/// float (to nearest, ties to even) before it is rounded to an integer; FloatRequantizer::apply is the same steps on
/// x = float(acc), with its multiplier for the inverse. Here the product of the two 24-bit significands is exact in 64
/// bits (`umull`); it is rounded to 24 significant bits as the float product is, then to an integer, ties to even both
/// times, so the double rounding is the float path's. Only products of magnitude 0.5 .. 512 need either rounding:
/// below, the integer is 0; above, the clamp gives 256. On the Cortex-M3 about 60 instructions a value, where the
/// float steps take about 250.

#include "ctnn/quant/qparams.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

// Thumb-2 M-profile cores without a floating-point unit (Cortex-M3): a network's input is quantized in integers.
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && defined(__ARM_ARCH_ISA_THUMB) && \
    __ARM_ARCH_ISA_THUMB == 2 && !defined(__ARM_FP)
#define CTNN_INTEGER_QUANTIZE 1
#else
#define CTNN_INTEGER_QUANTIZE 0
#endif

namespace ctnn::detail {

/// quantize_with_inverse(x, inverse) of one QuantizationParams, in integers. Usable when `inverse` is a positive normal
/// float below 2^101 (`usable()`: 1 / scale for every scale from 2^-100 up to about 2^126); otherwise the float steps
/// must be taken.
class integer_quantizer {
public:
    /// `inverse`: 1.0f / scale, as quantize computes it; `zero_point`: 0 .. 255.
    constexpr integer_quantizer(float inverse, std::int32_t zero_point) noexcept
        : zero_point_(zero_point),
          exponent_(static_cast<std::int32_t>((std::bit_cast<std::uint32_t>(inverse) >> 23) & 0xffu)),
          significand_((std::bit_cast<std::uint32_t>(inverse) & 0x7fffffu) | 0x800000u),
          usable_(!(std::bit_cast<std::uint32_t>(inverse) >> 31) && exponent_ >= 1 && exponent_ <= 127 + 100) {}

    [[nodiscard]] constexpr bool usable() const noexcept { return usable_; }

    /// The quantum of `x`: QuantizationParams{scale, zero_point}.quantize_with_inverse(x, inverse), bit for bit.
    /// Requires: usable(). Inlined also at -Os, where GCC 12 would call it and its two roundings for every value.
    [[nodiscard, gnu::always_inline]] constexpr std::uint8_t operator()(float x) const noexcept {
        const auto bits = std::bit_cast<std::uint32_t>(x);
        const auto exponent = static_cast<std::int32_t>((bits >> 23) & 0xffu);
        std::uint32_t magnitude;  // round_half_even(min(|x * inverse|, 256))
        if (exponent == 0xff) {
            if ((bits & 0x7fffffu) != 0) return 0;  // NaN: clamp_or_low's -256, then the clamp at 0
            magnitude = 256;
        } else {
            // |x * inverse| = P * 2^-shift, P the product of the significands, 2^46 <= P < 2^48 (x normal).
            const std::int32_t shift = 300 - exponent - exponent_;
            if (exponent == 0 || shift >= 49) {
                magnitude = 0;  // below 0.5 (zero, subnormal x: below 2^-126 x 2^101)
            } else if (shift <= 37) {
                magnitude = 256;  // at least 512
            } else {
                const std::uint64_t product = std::uint64_t{(bits & 0x7fffffu) | 0x800000u} * significand_;
                // The float product: 24 significant bits, ties to even; `low` bits below them.
                const std::int32_t low = (product >> 47) != 0 ? 24 : 23;
                const std::uint32_t kept =
                    round_shifted(static_cast<std::uint32_t>(product >> low), static_cast<std::uint32_t>(product), low);
                // kept * 2^(low - shift), shift - low in 14 .. 25: rounded to an integer, ties to even.
                magnitude = std::min<std::uint32_t>(round_shifted(kept >> (shift - low), kept, shift - low), 256);
            }
        }
        const std::int32_t q =
            (bits >> 31) != 0 ? -static_cast<std::int32_t>(magnitude) : static_cast<std::int32_t>(magnitude);
        return static_cast<std::uint8_t>(std::clamp<std::int32_t>(q + zero_point_, 0, 255));
    }

private:
    // `kept` (a value's bits above position `bits`) rounded by the bits of `below` under that position: up when they
    // exceed half, or equal half with `kept` odd.
    [[nodiscard, gnu::always_inline]] static constexpr std::uint32_t round_shifted(std::uint32_t kept,
                                                                                   std::uint32_t below,
                                                                                   std::int32_t bits) noexcept {
        const std::uint32_t rest = below & ((1u << bits) - 1u), half = 1u << (bits - 1);
        return kept + (rest > half || (rest == half && (kept & 1u) != 0) ? 1u : 0u);
    }

    std::int32_t zero_point_;
    std::int32_t exponent_;      // the inverse's biased exponent
    std::uint32_t significand_;  // its 24-bit significand
    bool usable_;
};

}  // namespace ctnn::detail
