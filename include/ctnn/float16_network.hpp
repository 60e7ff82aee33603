#pragma once

/// @file
/// ctnn::Float16Network: a trained float network for inference, its weights stored as IEEE 754
/// binary16 (fp16, "half") and widened to float as the kernels load them; biases, PReLU slopes
/// and all arithmetic stay float.

#include "ctnn/detail/half_width_network.hpp"
#include "ctnn/float16.hpp"
#include "ctnn/simd/f16_kernels.hpp"

#include <cstdint>
#include <span>
#include <type_traits>

namespace ctnn {

namespace detail {
/// binary16 weights for detail::half_width_network: simd::Float16Bits, which simd::load_weights widens as binary16.
struct float16_weights {
    using storage_type = simd::Float16Bits;
    [[nodiscard]] static constexpr storage_type round(float value) noexcept {
        return static_cast<storage_type>(round_to_float16(value));
    }
    [[nodiscard]] static constexpr float widen(storage_type bits) noexcept {
        return float16_to_float(static_cast<std::uint16_t>(bits));
    }
};
}  // namespace detail

/// The float network `Net` (a ctnn::Network or ctnn::BasicNetwork of float) with its weights
/// rounded to IEEE 754 binary16 (ctnn::round_to_float16: to nearest, ties to even, as PyTorch's
/// `Tensor.half()`), for inference.
///
/// binary16 keeps 11 significant bits to bfloat16's 8, in a range of +-65504 with subnormals down
/// to 2^-24 (about 6e-8): weights of a trained network fit that range, and those below 2^-14 lose
/// relative precision gradually, those below 2^-25 become zero. Like ctnn::BFloat16Network, the
/// weights keep `Net`'s layout at 2 bytes each, biases and PReLU slopes stay float, and the kernels
/// are `Net`'s with each weight register widened exactly as it is loaded (simd::load_float16:
/// VCVTPH2PS where the compiler targets F16C or AVX-512F, FCVTL on AArch64, integer lanes and selects
/// elsewhere, many times slower), so forward() returns what `Net::forward` returns for to_float(), the float network of
/// the rounded weights, bit for bit.
///
/// The members (forward one sample or a batch, to_float, the sizes, ==, read_parameters / write_parameters of the
/// canonical order with the weights as std::uint16_t bit patterns) are those of detail::half_width_network, shared
/// with ctnn::BFloat16Network; from_parameters builds one in a constant expression, as an exported header does, and
/// ctnn/io/weights16.hpp saves, loads and exports it. The object holds the parameters
/// and nothing else: sizeof is storage_bytes, no heap. It is trivially copyable. Requires: `Net`'s
/// value_type is float (a static_assert says so).
template <class Net>
class Float16Network : public detail::half_width_network<Net, detail::float16_weights> {
    static_assert(std::is_same_v<typename Net::value_type, float>,
                  "ctnn::Float16Network<Net>: Net must be a network of float, the type binary16 weights widen to; "
                  "use ctnn::Network<float, ...>");

public:
    /// Every weight and bias zero, PReLU slopes at their initial value (rounded `Net{}`); or
    /// `Float16Network(net)`: `net` with its weights rounded to binary16 (round_to_float16) and the
    /// rest copied.
    using detail::half_width_network<Net, detail::float16_weights>::half_width_network;

    /// A network of the given parameters (write_parameters(): the weights as binary16 bit patterns, std::uint16_t,
    /// taken as they are), in a constant expression too, so that exported weights live in read-only memory:
    /// `constexpr Net16 net = Net16::from_parameters(weights, float_parameters);`.
    [[nodiscard]] static constexpr Float16Network from_parameters(
        std::span<const std::uint16_t, Float16Network::weight_count> weights,
        std::span<const float, Float16Network::float_parameter_count> float_parameters) noexcept {
        return Float16Network::template with_parameters<Float16Network>(weights, float_parameters);
    }
};

/// `net` with its weights rounded to binary16: `Float16Network<Net>(net)`.
template <class Net>
[[nodiscard]] Float16Network<Net> to_float16(const Net& net) noexcept {
    return Float16Network<Net>(net);
}

}  // namespace ctnn
