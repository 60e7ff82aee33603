#pragma once

/// @file
/// ctnn::Calibration: the observers of post-training quantization, run over a float network's
/// passes on sample inputs. Which tensor each observer sees follows PyTorch's eager-mode
/// quantization of nn.Sequential(Linear, activation, ...) with a QuantStub in front.

#include "ctnn/activation/relu.hpp"
#include "ctnn/config.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/quant/observer.hpp"

#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn {

namespace detail {

/// True where PyTorch observes a layer after its activation: Linear followed by ReLU is fused
/// (torch.ao.quantization.fuse_modules into LinearReLU, quantized::linear_relu), so its observer
/// sees the rectified values. Every other layer's observer sees the Linear's output z: Tanh and
/// Sigmoid then have fixed output qparams, Softmax runs in float on the dequantized logits.
template <class Act>
inline constexpr bool observes_activation_output = std::is_same_v<Act, ReLU>;

}  // namespace detail

/// The observers of a float network `Net` (a ctnn::Network of float): one for its input, one for
/// each Dense layer (the tensor that layer's int8 version quantizes its output to: the rectified
/// output of a ReLU layer, otherwise the pre-activation z). Feed it samples with observe(), any
/// number of times (PyTorch's calibration batches); ctnn::quantize(net, calibration) then takes its
/// ranges. Trivially copyable, no heap.
template <class Net>
class Calibration {
    static_assert(std::is_same_v<typename Net::value_type, float>,
                  "ctnn::Calibration<Net>: Net must be a network of float; quantize a ctnn::Network<float, ...>");

public:
    using network_type = Net;
    using input_type = typename Net::input_type;
    static constexpr std::size_t layer_count = Net::layer_count;

    /// Runs `net` on `x` (inference mode) and records the input and every layer's observed tensor.
    /// Puts two rows of the widest layer on the stack, as Net::forward(x).
    void observe(const Net& net, const input_type& x) noexcept {
        using layers = typename Net::layers;
        alignas(Net::alignment) std::array<std::array<float, layers::max_padded_size>, 2> rows;
        input_.observe(std::span<const float>(x));
        const float* in = x.data();
        const auto storage = net.storage();
        detail::static_for<layer_count>([&](auto i) {
            using L = typename layers::template at<i>;
            float* z = rows[i % 2].data();
            L::affine(storage.data(), in, z);
            if constexpr (!detail::observes_activation_output<typename L::activation>) {
                layers_[i].observe(std::span<const float>(z, L::output_size));
            }
            if constexpr (i + 1 < layer_count || detail::observes_activation_output<typename L::activation>) {
                L::activate(storage.data(), z, z);
            }
            if constexpr (detail::observes_activation_output<typename L::activation>) {
                layers_[i].observe(std::span<const float>(z, L::output_size));
            }
            in = z;
        });
    }

    /// observe(net, x) for every sample of `inputs`.
    void observe(const Net& net, std::span<const input_type> inputs) noexcept {
        for (const auto& x : inputs) observe(net, x);
    }

    /// The input's observer, and layer i's (from 0). Requires: i < layer_count.
    [[nodiscard]] MinMaxObserver& input() noexcept { return input_; }
    [[nodiscard]] const MinMaxObserver& input() const noexcept { return input_; }
    [[nodiscard]] MinMaxObserver& layer(std::size_t i) noexcept {
        CTNN_ASSERT(i < layer_count, "Calibration::layer: index out of range");
        return layers_[i];
    }
    [[nodiscard]] const MinMaxObserver& layer(std::size_t i) const noexcept {
        CTNN_ASSERT(i < layer_count, "Calibration::layer: index out of range");
        return layers_[i];
    }

private:
    MinMaxObserver input_;
    std::array<MinMaxObserver, layer_count> layers_;
};

}  // namespace ctnn
