#pragma once

/// @file
/// ctnn::BFloat16Network: a trained float network for inference, its weights stored as
/// bfloat16 and widened to float as the kernels load them; biases, PReLU slopes and all
/// arithmetic stay float.

#include "ctnn/bfloat16.hpp"
#include "ctnn/detail/half_width_network.hpp"

#include <cstdint>
#include <span>
#include <type_traits>

namespace ctnn {

namespace detail {
/// bfloat16 weights for detail::half_width_network: std::uint16_t patterns, which simd::load_weights widens as
/// bfloat16.
struct bfloat16_weights {
    using storage_type = std::uint16_t;
    [[nodiscard]] static constexpr storage_type round(float value) noexcept { return round_to_bfloat16(value); }
    [[nodiscard]] static constexpr float widen(storage_type bits) noexcept { return bfloat16_to_float(bits); }
};
}  // namespace detail

/// The float network `Net` (a ctnn::Network or ctnn::BasicNetwork of float) with its weights
/// rounded to bfloat16 (ctnn::round_to_bfloat16: to nearest, ties to even, as PyTorch's
/// `Tensor.bfloat16()`), for inference.
///
/// The weights keep `Net`'s layout (per layer In rows, input-major, of padded(Out) values; padding
/// zero) at 2 bytes each instead of 4, so a pass streams half the bytes of weights: what bounds a
/// one-sample forward of a network whose weights live in L2 (784-128-64-10: 219 KB instead of
/// 438 KB). Biases and PReLU slopes stay float. The kernels are `Net`'s (simd::affine,
/// simd::batch_affine), with each weight register widened exactly as it is loaded, so forward()
/// returns what `Net::forward` returns for to_float(), the float network of the rounded weights,
/// bit for bit.
///
/// The members (forward one sample or a batch, to_float, the sizes, ==) are those of
/// detail::half_width_network, shared with ctnn::Float16Network. The object holds the parameters
/// and nothing else: sizeof is storage_bytes, no heap. It is trivially copyable. Requires: `Net`'s
/// value_type is float (a static_assert says so).
template <class Net>
class BFloat16Network : public detail::half_width_network<Net, detail::bfloat16_weights> {
    static_assert(std::is_same_v<typename Net::value_type, float>,
                  "ctnn::BFloat16Network<Net>: Net must be a network of float, the type bfloat16 weights widen to; "
                  "use ctnn::Network<float, ...>");

public:
    /// Every weight and bias zero, PReLU slopes at their initial value (rounded `Net{}`); or
    /// `BFloat16Network(net)`: `net` with its weights rounded to bfloat16 (round_to_bfloat16) and the
    /// rest copied.
    using detail::half_width_network<Net, detail::bfloat16_weights>::half_width_network;

    /// A network of the given parameters (write_parameters()), in a constant expression too, so that exported
    /// weights live in read-only memory: `constexpr Net16 net = Net16::from_parameters(weights, float_parameters);`.
    [[nodiscard]] static constexpr BFloat16Network from_parameters(
        std::span<const std::uint16_t, BFloat16Network::weight_count> weights,
        std::span<const float, BFloat16Network::float_parameter_count> float_parameters) noexcept {
        return BFloat16Network::template with_parameters<BFloat16Network>(weights, float_parameters);
    }
};

/// `net` with its weights rounded to bfloat16: `BFloat16Network<Net>(net)`.
template <class Net>
[[nodiscard]] BFloat16Network<Net> to_bfloat16(const Net& net) noexcept {
    return BFloat16Network<Net>(net);
}

}  // namespace ctnn
