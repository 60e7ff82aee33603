#pragma once

/// @file
/// Affine quantization of one tensor: a scale and a zero point (PyTorch's qparams), float to
/// uint8 and back, with the rounding of PyTorch's quantize_per_tensor (as Debian's torch 1.13
/// computes it, without FBGEMM: aten/src/ATen/native/quantized/affine_quantizer_base.cpp,
/// `quantize_val`).

#include <algorithm>
#include <cstdint>
#include <limits>

namespace ctnn {

namespace detail {

/// `x` rounded to the nearest integer, ties to even (IEEE 754 roundTiesToEven, C's
/// nearbyint in the default rounding mode), for |x| <= 2^22.
///
/// Adding 1.5 x 2^23 leaves no fraction bits, so the sum is rounded to an integer by the
/// addition itself. Callers clamp x first (a min or max between a product and this sum also
/// keeps a compiler from contracting the two into one fused multiply-add, which would skip the
/// product's own rounding).
[[nodiscard]] constexpr float round_half_even(float x) noexcept {
    constexpr float shift = 12582912.0f;  // 1.5 x 2^23
    return (x + shift) - shift;
}

/// `x` clamped to [lo, hi]; a NaN gives `lo`.
[[nodiscard]] constexpr float clamp_or_low(float x, float lo, float hi) noexcept {
    return !(x > lo) ? lo : (x > hi ? hi : x);
}

/// `x` rounded to the nearest integer, ties to even, saturated to int32 (a NaN gives the lowest value).
[[nodiscard]] constexpr std::int32_t round_to_int32(float x) noexcept {
    constexpr float low = -2147483648.0f, high = 2147483648.0f;  // -2^31, 2^31
    if (!(x > low)) return std::numeric_limits<std::int32_t>::min();
    if (x >= high) return std::numeric_limits<std::int32_t>::max();
    // From 2^23 on every float is an integer already.
    if (x >= 8388608.0f || x <= -8388608.0f) return static_cast<std::int32_t>(x);
    return static_cast<std::int32_t>(round_half_even(x));
}

}  // namespace detail

/// The quantization of one tensor to uint8 (PyTorch's `quint8`, per-tensor affine): the real
/// value of quantum q is `(q - zero_point) * scale`.
///
/// Invariants (as ctnn computes them): scale > 0 and finite, 0 <= zero_point <= 255.
struct QuantizationParams {
    float scale = 1.0f;
    std::int32_t zero_point = 0;

    /// The quantum of `x`: clamp(round_half_even(x * (1 / scale)) + zero_point, 0, 255), with
    /// 1 / scale and the product rounded to float, as PyTorch's quantize_per_tensor
    /// (`quantize_val`: `inv_scale = 1.0f / scale`, `zero_point + nearbyint(value * inv_scale)`).
    /// -inf and NaN give 0, +inf 255.
    [[nodiscard]] constexpr std::uint8_t quantize(float x) const noexcept {
        return quantize_with_inverse(x, 1.0f / scale);
    }

    /// quantize(x) with `inverse_scale` = 1.0f / scale computed once by the caller.
    [[nodiscard]] constexpr std::uint8_t quantize_with_inverse(float x, float inverse_scale) const noexcept {
        // Beyond +-256 every zero point saturates, so clamping there first changes nothing.
        const float q = detail::round_half_even(detail::clamp_or_low(x * inverse_scale, -256.0f, 256.0f));
        return static_cast<std::uint8_t>(std::clamp<std::int32_t>(static_cast<std::int32_t>(q) + zero_point, 0, 255));
    }

    /// The real value of quantum `q`: (q - zero_point) * scale, rounded once to float (the
    /// difference is exact), as PyTorch's `dequantize_val`.
    [[nodiscard]] constexpr float dequantize(std::uint8_t q) const noexcept {
        return static_cast<float>(static_cast<std::int32_t>(q) - zero_point) * scale;
    }

    friend constexpr bool operator==(const QuantizationParams&, const QuantizationParams&) = default;
};

}  // namespace ctnn
