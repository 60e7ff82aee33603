#pragma once

/// @file
/// detail::half_width_network<Net, Format>: a trained float network for inference, its weights
/// stored in a 16-bit format that widens exactly to float (bfloat16, IEEE 754 binary16) and widened
/// as the kernels load them; biases, PReLU slopes and all arithmetic stay float. The body of
/// ctnn::BFloat16Network and ctnn::Float16Network, which differ only in the format.
///
/// A `Format` names the weights' stored type and the two conversions:
/// ```cpp
/// struct Format {
///     using storage_type = ...;  // 2 bytes; the type simd::load_weights widens (std::uint16_t: bfloat16)
///     static constexpr storage_type round(float) noexcept;  // float to the format (to nearest, ties to even)
///     static constexpr float widen(storage_type) noexcept;  // exact
/// };
/// ```
/// `storage_type` is std::uint16_t or an enumeration over it (simd::Float16Bits): the canonical access
/// (read_parameters, write_parameters, from_parameters) speaks std::uint16_t bit patterns for every format and
/// converts each value with a static_cast, so callers (io, exported headers) need not know the stored type.

#include "ctnn/detail/inference.hpp"
#include "ctnn/detail/static_for.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ctnn::detail {

/// The float network `Net` (a ctnn::Network or ctnn::BasicNetwork of float) with its weights
/// rounded to `Format` (Format::round), for inference.
///
/// The weights keep `Net`'s layout (per layer In rows, input-major, of padded(Out) values, or one
/// row of padded(In) for one output after at least a register of inputs; padding zero) at 2 bytes each instead of 4, so
/// a pass streams half the bytes of weights: what bounds a one-sample forward of a network whose weights live in L2
/// (784-128-64-10: 219 KB instead of 438 KB). Biases and PReLU slopes stay float. The kernels are
/// `Net`'s (simd::affine, simd::batch_affine, simd::row_affine), with each weight register widened
/// exactly as it is loaded (simd::load_weights), so forward() returns what `Net::forward` returns for
/// to_float(), the float network of the rounded weights, bit for bit (for scalar_arch on a target with
/// FMA, up to where the compiler contracts the scalar kernels' a * b + c).
///
/// The object holds the parameters and nothing else: sizeof is storage_bytes, no heap. It is
/// trivially copyable. Requires: `Net`'s value_type is float (the public class templates say so in
/// a static_assert of their own).
template <class Net, class Format>
class half_width_network {
public:
    /// The float network this one was rounded from.
    using network_type = Net;
    using layers = typename Net::layers;
    using value_type = float;
    using arch_type = typename Net::arch_type;
    using output_activation = typename Net::output_activation;
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;
    /// The stored type of a weight (Format::storage_type).
    using weight_type = typename Format::storage_type;

    static constexpr std::size_t input_size = Net::input_size;
    static constexpr std::size_t output_size = Net::output_size;
    static constexpr std::size_t layer_count = Net::layer_count;
    /// Weights, biases and PReLU slopes, as PyTorch would count them (Net's).
    static constexpr std::size_t parameter_count = Net::parameter_count;
    static constexpr std::size_t alignment = Net::alignment;
    /// Samples the batch forward pushes through each layer together (Net's).
    static constexpr std::size_t batch_tile = Net::batch_tile;

private:
    // Where each layer's weights start in weights_, in stored values; the last entry is their total.
    static constexpr std::array<std::size_t, layer_count + 1> weight_offsets = [] {
        std::array<std::size_t, layer_count + 1> offsets{};
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            offsets[i + 1] = offsets[i] + L::weights_size;
        });
        return offsets;
    }();

    // Where layer i's bias (then its PReLU slopes) start in vectors_: Net's storage without the weights.
    template <std::size_t I>
    static constexpr std::size_t bias_offset = layers::template at<I>::bias_offset - weight_offsets[I + 1];

public:
    /// 16-bit weights in the storage: Net's padded weights (sum over the layers of In x padded(Out), or
    /// padded(In) for a one-output row), rounded up to a whole register's alignment so that no padding follows
    /// them (zero for the benchmark networks; the extra values are zero).
    static constexpr std::size_t weight_storage_size =
        (weight_offsets[layer_count] * sizeof(weight_type) + alignment - 1) / alignment * alignment /
        sizeof(weight_type);
    /// Floats in the storage: Net's padded biases and PReLU slopes.
    static constexpr std::size_t vector_storage_size = Net::storage_size - weight_offsets[layer_count];
    /// sizeof(*this): 2 bytes per stored weight, 4 per stored bias and slope.
    static constexpr std::size_t storage_bytes =
        weight_storage_size * sizeof(weight_type) + vector_storage_size * sizeof(float);
    /// Bytes of the buffers forward(x) puts on the stack (Net's).
    static constexpr std::size_t forward_stack_bytes = Net::forward_stack_bytes;
    /// Bytes of the buffers the batch forward(inputs, outputs) puts on the stack (Net's).
    static constexpr std::size_t batch_forward_stack_bytes = Net::batch_forward_stack_bytes;

    /// Weights of the canonical order (sum over the layers of In x Out; no padding): the 16-bit values.
    static constexpr std::size_t weight_count = [] {
        std::size_t count = 0;
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            count += L::input_size * L::output_size;
        });
        return count;
    }();
    /// Biases and PReLU slopes of the canonical order: the float values.
    static constexpr std::size_t float_parameter_count = parameter_count - weight_count;

    /// Every weight and bias zero, PReLU slopes at their initial value (rounded `Net{}`).
    half_width_network() noexcept : half_width_network(Net{}) {}

    /// `net` with its weights rounded (Format::round) and the rest copied.
    explicit half_width_network(const Net& net) noexcept {
        const auto storage = net.storage();
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            for (std::size_t k = 0; k < L::weights_size; ++k) {
                weights_[weight_offsets[i] + k] = Format::round(storage[L::weight_offset + k]);
            }
            for (std::size_t k = 0; k < L::end_offset - L::bias_offset; ++k) {
                vectors_[bias_offset<i> + k] = storage[L::bias_offset + k];
            }
        });
    }

    /// The float network of the same parameters: each weight Format::widen of the stored one
    /// (PyTorch's `Tensor.float()`), biases and slopes as they are. Its forward() gives the same
    /// outputs as this one's, bit for bit.
    [[nodiscard]] Net to_float() const noexcept {
        Net net;
        const auto storage = net.storage();
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            for (std::size_t k = 0; k < L::weights_size; ++k) {
                storage[L::weight_offset + k] = Format::widen(weights_[weight_offsets[i] + k]);
            }
            for (std::size_t k = 0; k < L::end_offset - L::bias_offset; ++k) {
                storage[L::bias_offset + k] = vectors_[bias_offset<i> + k];
            }
        });
        return net;
    }

    /// Copies every parameter out in Net's canonical order (PyTorch's nn.Sequential state_dict order), split by
    /// type: `weights` gets each layer's weight [out][in] row-major as the format's 16-bit patterns (whatever
    /// weight_type is), `float_parameters` each layer's bias, then its PReLU slopes. Usable in a constant expression.
    constexpr void read_parameters(std::span<std::uint16_t, weight_count> weights,
                                   std::span<float, float_parameter_count> float_parameters) const noexcept {
        copy_canonical<true>(weights_.data(), vectors_.data(), weights.data(), float_parameters.data());
    }

    /// Sets every parameter from the canonical order, split as read_parameters() splits it; the weights are taken
    /// as they are (bit patterns of the format: nothing is rounded). Usable in a constant expression.
    constexpr void write_parameters(std::span<const std::uint16_t, weight_count> weights,
                                    std::span<const float, float_parameter_count> float_parameters) noexcept {
        copy_canonical<false>(weights.data(), float_parameters.data(), weights_.data(), vectors_.data());
    }

    /// The output for one input, as Net::forward(x): inference mode (RReLU uses its mean slope),
    /// forward_stack_bytes of buffers on the stack.
    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        alignas(alignment) std::array<std::array<float, layers::max_padded_size>, 2> buffers;
        static_assert(sizeof(buffers) == forward_stack_bytes);
        return detail::forward_sample<layers, output_type>(
            x, [&](auto i) { return buffers[i % 2].data(); }, layer_forward());
    }

    /// The outputs for a batch, `outputs[s] = forward(inputs[s])` up to rounding (the sums are the
    /// same; the batched kernels may contract them differently), as Net's batch forward: batch_tile
    /// samples at a time, batch_forward_stack_bytes of buffers on the stack.
    /// Requires: both spans have the same length.
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs) const noexcept {
        alignas(alignment) std::array<std::array<std::array<float, layers::max_padded_size>, batch_tile>, 2> buffers;
        static_assert(sizeof(buffers) == batch_forward_stack_bytes);
        detail::forward_batch<layers, batch_tile>(
            inputs, outputs, [&](auto i) { return buffers[i % 2].data(); }, layer_forward(),
            [&](auto i, const auto* x, auto* y, std::size_t count) {
                layers::template at<i>::forward_from(weights_.data() + weight_offsets[i],
                                                     vectors_.data() + bias_offset<i>, x, y, count);
            });
    }

    friend constexpr bool operator==(const half_width_network&, const half_width_network&) = default;

protected:
    // Every value zero, padding included: the start of the public classes' from_parameters, in a constant
    // expression.
    struct zeroed_t {};
    constexpr explicit half_width_network(zeroed_t) noexcept {}

    // The public classes' from_parameters: a `Derived` (which inherits this class's constructors) of the given
    // parameters, in a constant expression too.
    template <class Derived>
    [[nodiscard]] static constexpr Derived with_parameters(
        std::span<const std::uint16_t, weight_count> weights,
        std::span<const float, float_parameter_count> float_parameters) noexcept {
        Derived net(zeroed_t{});
        net.write_parameters(weights, float_parameters);
        return net;
    }

private:
    // Copies every weight and every bias and slope from `w` and `f` to `to_w` and `to_f`, where either the sources
    // (write_parameters) or the destinations (read_parameters) are the storage, weights_ and vectors_, and the others
    // the canonical order; a weight changes type (weight_type, std::uint16_t) by a static_cast, a value conversion
    // (no aliasing). Plain loops over pointers, as dense_layer::write_canonical: a constant expression (an exported
    // network) then costs a few evaluation steps per parameter, which keeps 784-128-64-10 within clang's default
    // limit.
    template <bool FromStorage, class WeightIn, class FloatIn, class WeightOut, class FloatOut>
    static constexpr void copy_canonical(WeightIn* w, FloatIn* f, WeightOut* to_w, FloatOut* to_f) noexcept {
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            constexpr std::size_t in = L::input_size, out = L::output_size;
            // The storage index of weight [o][k] is weight_offsets[i] + k stride + o (dense_layer::weight_index).
            constexpr std::size_t first = weight_offsets[i], stride = L::one_row ? 1 : L::padded_size;
            constexpr std::size_t bias = bias_offset<i>, slope = bias + L::padded_size;
            for (std::size_t o = 0; o < out; ++o) {
                for (std::size_t k = 0; k < in; ++k) {
                    if constexpr (FromStorage) {
                        *to_w++ = static_cast<WeightOut>(w[first + k * stride + o]);
                    } else {
                        to_w[first + k * stride + o] = static_cast<WeightOut>(*w++);
                    }
                }
            }
            for (std::size_t o = 0; o < (L::learned_slope ? 2 * out : out); ++o) {
                const std::size_t s = o < out ? bias + o : slope + (o - out);  // the bias, then the slopes
                if constexpr (FromStorage) {
                    *to_f++ = f[s];
                } else {
                    to_f[s] = *f++;
                }
            }
        });
    }

    // Layer i's one-sample forward, for detail::forward_sample.
    auto layer_forward() const noexcept {
        return [this](auto i, const float* x, float* y) {
            layers::template at<i>::forward_from(weights_.data() + weight_offsets[i], vectors_.data() + bias_offset<i>,
                                                 x, y);
        };
    }

    alignas(alignment) std::array<float, vector_storage_size> vectors_{};
    alignas(alignment) std::array<weight_type, weight_storage_size> weights_{};
};

}  // namespace ctnn::detail
