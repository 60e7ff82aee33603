#pragma once

/// @file
/// Requantization: from a dense layer's int32 accumulator (at scale s_in x s_w[o]) to the next
/// tensor's quanta (at scale s_out). A requantizer is a type with
///   `multiplier_type`                                        what one output unit keeps
///   `static multiplier_type multiplier(s_in, s_w, s_out)`    computed when quantizing
///   `static std::int32_t apply(acc, multiplier)`             round(acc x s_in s_w / s_out), before
///                                                            the zero point; any value beyond
///                                                            +-256 may be clamped to +-256
/// ctnn::QuantizedNetwork takes one as a template parameter.

#include "ctnn/quant/qparams.hpp"

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

}  // namespace ctnn
