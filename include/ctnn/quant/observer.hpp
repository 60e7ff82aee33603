#pragma once

/// @file
/// Observers: from the values a tensor takes to its quantization parameters, as PyTorch's
/// torch/ao/quantization/observer.py (torch 1.13) computes them, in float32 like its tensors.
///
/// - activations: MinMaxObserver(dtype=quint8) with its defaults (qscheme per_tensor_affine,
///   reduce_range False, so quant_min 0 and quant_max 255; eps = float32's epsilon, 2^-23);
/// - weights: PerChannelMinMaxObserver(dtype=qint8, qscheme=per_channel_symmetric), one scale
///   per output unit, zero point 0, quant range [-128, 127].

#include "ctnn/config.hpp"
#include "ctnn/quant/qparams.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>

namespace ctnn {

/// float32's machine epsilon, 2^-23: the floor of every scale (observer.py's `eps`).
inline constexpr float quantization_eps = 1.1920928955078125e-07f;

/// The scale of one output unit's int8 weights, symmetric around zero, from the largest
/// magnitude among them: max(amax / 127.5, eps), in float32, with 127.5 = (quant_max -
/// quant_min) / 2 = (127 - (-128)) / 2 (observer.py, `_calculate_qparams`, per_channel_symmetric).
/// So amax itself maps to 127.5, which rounds to 127 after clamping on the positive side and to
/// -128 on the negative side.
[[nodiscard]] constexpr float symmetric_weight_scale(float amax) noexcept {
    return std::max(amax / 127.5f, quantization_eps);
}

/// The int8 quantum of weight `w` at `scale`: clamp(round_half_even(w * (1 / scale)), -128, 127),
/// 1 / scale and the product in float (torch.quantize_per_channel, `quantize_val` as in
/// QuantizationParams::quantize).
[[nodiscard]] constexpr std::int8_t quantize_weight(float w, float scale) noexcept {
    const float q = detail::round_half_even(detail::clamp_or_low(w * (1.0f / scale), -256.0f, 256.0f));
    return static_cast<std::int8_t>(std::clamp<std::int32_t>(static_cast<std::int32_t>(q), -128, 127));
}

/// The running minimum and maximum of the values of one tensor, and the uint8 affine
/// quantization they give: PyTorch's MinMaxObserver(dtype=torch.quint8).
class MinMaxObserver {
public:
    /// Records one value. A NaN or an infinity is recorded as such: qparams() then refuses.
    constexpr void observe(float value) noexcept {
        finite_ = finite_ && value - value == 0.0f;
        min_ = std::min(min_, value);
        max_ = std::max(max_, value);
        observed_ = true;
    }

    /// Records every value of `values`.
    constexpr void observe(std::span<const float> values) noexcept {
        for (const float v : values) observe(v);
    }

    /// The smallest and largest values recorded (+inf and -inf before any).
    [[nodiscard]] constexpr float min_value() const noexcept { return min_; }
    [[nodiscard]] constexpr float max_value() const noexcept { return max_; }
    /// Whether a value has been recorded, and whether every value recorded was finite.
    [[nodiscard]] constexpr bool observed() const noexcept { return observed_; }
    [[nodiscard]] constexpr bool finite() const noexcept { return finite_; }

    /// The quantization of the range [min(min_value, 0), max(max_value, 0)] to [0, 255]
    /// (observer.py, `_calculate_qparams`, per_tensor_affine), each step in float32:
    ///   scale = max((max_pos - min_neg) / 255, eps)
    ///   zero_point = clamp(0 - round_half_even(min_neg / scale), 0, 255)
    /// The range always holds 0, so 0 is exactly a quantum: all-positive values give zero point 0,
    /// all-negative ones 255, and a range of only zeros scale eps.
    /// Requires: at least one value observed, all finite (CTNN_ASSERT; PyTorch returns scale 1
    /// for an observer that saw nothing, and fails on a NaN).
    [[nodiscard]] constexpr QuantizationParams qparams() const noexcept {
        CTNN_ASSERT(observed_, "MinMaxObserver::qparams: no value was observed (an empty calibration set?)");
        CTNN_ASSERT(finite_, "MinMaxObserver::qparams: a NaN or an infinity was observed");
        const float min_neg = std::min(min_, 0.0f);
        const float max_pos = std::max(max_, 0.0f);
        const float scale = std::max((max_pos - min_neg) / 255.0f, quantization_eps);
        // min_neg / scale lies in [-255, 0] up to rounding: within round_half_even's range.
        const auto shift = static_cast<std::int32_t>(detail::round_half_even(min_neg / scale));
        return {scale, std::clamp<std::int32_t>(0 - shift, 0, 255)};
    }

    friend constexpr bool operator==(const MinMaxObserver&, const MinMaxObserver&) = default;

private:
    float min_ = std::numeric_limits<float>::infinity();
    float max_ = -std::numeric_limits<float>::infinity();
    bool observed_ = false;
    bool finite_ = true;
};

}  // namespace ctnn
