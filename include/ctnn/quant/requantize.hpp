#pragma once

/// @file
/// Requantization: from a dense layer's int32 accumulator (at scale s_in x s_w[o]) to the next
/// tensor's quanta (at scale s_out). A requantizer is a type with
///   `multiplier_type`                                        what one output unit keeps
///   `static multiplier_type multiplier(s_in, s_w, s_out)`    computed when quantizing
///   `static std::int32_t apply(acc, multiplier)`             round(acc x s_in s_w / s_out), before
///                                                            the zero point; any value beyond
///                                                            +-256 may be clamped to +-256
///   `static constexpr bool keeps_weight_scales` (optional)   whether a layer keeps each unit's
///                                                            s_w beside its multiplier (without
///                                                            it: true; see
///                                                            requantizer_keeps_weight_scales)
/// ctnn::QuantizedNetwork takes one as a template parameter: FloatRequantizer (PyTorch QNNPACK's, the
/// default) or FixedPointRequantizer (TensorFlow Lite's, integers only).

#include "ctnn/quant/qparams.hpp"

#include <cmath>
#include <cstdint>

namespace ctnn {

/// The float requantization of PyTorch's QNNPACK (the engine of torch.backends.quantized.engine
/// = "qnnpack"), bit for bit:
/// - multiplier = (s_w x s_in) x (1 / s_out), each step in float: `generate_requantization_scales`
///   in aten/src/ATen/native/quantized/cpu/qnnpack_utils.h;
/// - result = round_half_even(float(acc) x multiplier): int32 to float rounded to nearest, the
///   product rounded to float, then to the nearest integer, ties to even, as the q8gemm kernels
///   do (x86 `pytorch_q8gemm_ukernel_4x4c2__sse2`: `_mm_cvtps_epi32(_mm_mul_ps(_mm_cvtepi32_ps(acc),
///   multiplier))`, whose conversion rounds in the default mode, to nearest even).
///
/// The one difference: a product beyond +-2^31 converts to INT32_MIN in SSE2 (so a huge positive
/// sum gives quantum 0 there); here it saturates to the right end. A calibrated network's products
/// stay within a few hundred.
struct FloatRequantizer {
    using multiplier_type = float;
    /// Its layers keep s_w, PyTorch's weight scale, beside the float multiplier: 12 bytes a unit with the bias. A
    /// weights file holds it (format version 1), and loading checks each multiplier against it.
    static constexpr bool keeps_weight_scales = true;

    [[nodiscard]] static constexpr multiplier_type multiplier(float input_scale, float weight_scale,
                                                              float output_scale) noexcept {
        return (weight_scale * input_scale) * (1.0f / output_scale);
    }

    [[nodiscard]] static constexpr std::int32_t apply(std::int32_t acc, multiplier_type multiplier) noexcept {
        // The clamp comes between the product and the rounding's addition: no contraction into one FMA.
        return static_cast<std::int32_t>(
            detail::round_half_even(detail::clamp_or_low(static_cast<float>(acc) * multiplier, -256.0f, 256.0f)));
    }
};

/// The integer-only requantization of TensorFlow Lite and gemmlowp, for targets without a fast
/// float unit: the multiplier as a Q0.31 fraction q in [2^30, 2^31) and a power of two,
/// m = q 2^(shift - 31), and the product rounded in integers:
/// - multiplier: frexp of the double s_in x s_w / s_out (TFLite's per-channel
///   `PopulateConvolutionQuantizationParams`), q = round(fraction x 2^31) half away from zero, and
///   2^31 folded back to 2^30 with the shift one up (`QuantizeMultiplier`); below 2^-31 it is 0;
/// - apply: `MultiplyByQuantizedMultiplier`: x 2^max(shift, 0) (here saturating, where TFLite
///   overflows), `SaturatingRoundingDoublingHighMul` (round(acc q / 2^31), ties toward +infinity) and
///   `RoundingDivideByPOT` by 2^max(-shift, 0) (half away from zero).
/// Its results are within one quantum of FloatRequantizer's: both round acc x m, with different
/// tie rules and a multiplier 31 bits wide instead of 24 (tests/unit/quantization_test.cpp).
struct FixedPointRequantizer {
    struct multiplier_type {
        std::int32_t multiplier = 0;  // q: 0, or in [2^30, 2^31)
        std::int32_t shift = 0;       // m = q 2^(shift - 31)
        friend constexpr bool operator==(const multiplier_type&, const multiplier_type&) = default;
    };
    /// Its layers keep no s_w: per unit the bias, q and shift, 12 bytes (CMSIS-NN's per-channel bias, multiplier and
    /// shift). apply reads the multiplier alone, and a weights file checks q and shift by their ranges (format
    /// version 2, ctnn/io/quantized_weights.hpp).
    static constexpr bool keeps_weight_scales = false;

    [[nodiscard]] static multiplier_type multiplier(float input_scale, float weight_scale,
                                                    float output_scale) noexcept {
        const double real =
            static_cast<double>(input_scale) * static_cast<double>(weight_scale) / static_cast<double>(output_scale);
        if (!(real > 0.0)) return {};
        int shift = 0;
        const double fraction = std::frexp(real, &shift);  // [0.5, 1)
        auto q = static_cast<std::int64_t>(std::round(fraction * 2147483648.0));
        if (q == (std::int64_t{1} << 31)) {
            q /= 2;
            ++shift;
        }
        if (shift < -31) return {};
        if (shift > 30) shift = 30;  // m >= 2^30: every nonzero sum saturates anyway
        return {static_cast<std::int32_t>(q), shift};
    }

    [[nodiscard]] static constexpr std::int32_t apply(std::int32_t acc, multiplier_type m) noexcept {
        const int left = m.shift > 0 ? m.shift : 0;
        const int right = m.shift > 0 ? 0 : -m.shift;
        // x 2^left, saturated to int32 (a saturated sum saturates the result too).
        const std::int64_t widened = std::int64_t{acc} * (std::int64_t{1} << left);
        const std::int64_t a = widened > INT32_MAX ? INT32_MAX : (widened < INT32_MIN ? INT32_MIN : widened);
        // SaturatingRoundingDoublingHighMul: (a q + nudge) / 2^31, truncated; only INT32_MIN x INT32_MIN
        // overflows, and q > 0.
        const std::int64_t product = a * std::int64_t{m.multiplier};
        const std::int64_t nudge = product >= 0 ? (std::int64_t{1} << 30) : 1 - (std::int64_t{1} << 30);
        const std::int64_t high = (product + nudge) / (std::int64_t{1} << 31);
        // RoundingDivideByPOT: half away from zero.
        const std::int64_t mask = (std::int64_t{1} << right) - 1;
        const std::int64_t remainder = high & mask;
        const std::int64_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
        const std::int64_t result = (high >> right) + (remainder > threshold ? 1 : 0);
        return static_cast<std::int32_t>(result > 256 ? 256 : (result < -256 ? -256 : result));
    }
};

/// Whether a quantized layer with `Requantizer` keeps each unit's weight scale s_w, which no forward pass reads:
/// Requantizer::keeps_weight_scales, or true for a requantizer that does not declare it. FloatRequantizer keeps them,
/// FixedPointRequantizer does not.
template <class Requantizer>
inline constexpr bool requantizer_keeps_weight_scales = [] {
    if constexpr (requires { Requantizer::keeps_weight_scales; }) {
        return static_cast<bool>(Requantizer::keeps_weight_scales);
    } else {
        return true;
    }
}();

}  // namespace ctnn
