#pragma once

/// @file
/// ctnn::Network: a multilayer perceptron whose topology is its type.

#include "ctnn/activation/softmax.hpp"
#include "ctnn/config.hpp"
#include "ctnn/detail/layer_list.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"

#include <boost/hana/for_each.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

namespace ctnn {

/// A network of `Layers` (ctnn::Dense specs) on ctnn::Input<N>, with scalar type `T` and
/// kernels for the instruction set `Arch` (see ctnn::Network for the usual spelling).
///
/// The object holds the parameters and nothing else: one aligned array in which each
/// layer's weights (input-major, rows padded to whole registers), bias and PReLU slopes
/// follow each other. It is trivially copyable, and a default-constructed network has
/// every weight and bias zero (PReLU slopes at their initial value). Read and write the
/// parameters in the canonical order with read_parameters() / write_parameters().
///
/// Requires: `T` float or double; `Input<N>` first with N >= 1; at least one Dense layer,
/// each with at least one unit; Softmax only in the last layer. Each broken rule is a
/// static_assert with one sentence.
template <class Arch, class T, class InputSpec, class... Layers>
class BasicNetwork {
    static_assert(std::is_floating_point_v<T>,
                  "ctnn::Network<T, Input<N>, Layers...>: T must be a floating-point type (float or double)");
    static_assert(simd::is_arch<Arch>,
                  "ctnn::BasicNetwork<Arch, T, ...>: Arch must be ctnn::simd::scalar_arch or an xsimd architecture");
    static_assert(detail::is_input_spec<InputSpec>,
                  "ctnn::Network<T, Input<N>, Layers...>: the first layer must be ctnn::Input<N>");
    static_assert(sizeof...(Layers) >= 1,
                  "ctnn::Network<T, Input<N>, Layers...>: at least one ctnn::Dense layer must follow the input");
    static_assert((detail::is_dense_spec<Layers> && ...),
                  "ctnn::Network<T, Input<N>, Layers...>: every layer after the input must be ctnn::Dense<Units, Act>");

    // Instantiates every spec, so that its own static_assert (Input<0>, Dense<0, Act>) speaks:
    // the rules here only match the specs' template arguments.
    static_assert(((sizeof(InputSpec) + ... + sizeof(Layers)) > 0));

    using layout = detail::network_layout<Arch, T, InputSpec, Layers...>;

    static constexpr bool hidden_softmax = [] {
        if constexpr (layout::valid) {
            return detail::has_hidden_softmax<Layers...>();
        } else {
            return false;
        }
    }();
    static_assert(!hidden_softmax,
                  "ctnn::Softmax: only the output layer may use Softmax; use ReLU, Tanh or another hidden activation "
                  "here");

public:
    /// The bound layers (detail::layer_list); for the library's own algorithms.
    using layers = typename layout::layers;
    using value_type = T;
    using arch_type = Arch;
    using output_activation = typename layers::last::activation;

    static constexpr std::size_t input_size = layout::input_size;
    static constexpr std::size_t output_size = layers::last::output_size;
    static constexpr std::size_t layer_count = layers::size;
    /// Weights, biases and PReLU slopes, as PyTorch would count them.
    static constexpr std::size_t parameter_count = layers::parameter_count;
    /// Scalars in the storage, padding included: sizeof(*this) == storage_size * sizeof(T).
    static constexpr std::size_t storage_size = layers::storage_size;
    static constexpr std::size_t alignment = [] {
        if constexpr (simd::is_arch<Arch>) {
            return simd::alignment<T, Arch>;
        } else {
            return alignof(T);
        }
    }();

    using input_type = std::array<T, input_size>;
    using output_type = std::array<T, output_size>;

    /// Samples the batch paths (forward over a span, ctnn::backward, ctnn::loss, Trainer
    /// steps on minibatches) push through each layer together, so that every weight loaded
    /// serves several samples: 32, or fewer where a training pass's buffers
    /// (ctnn::Workspace: z, y and delta of every layer) would pass 192 KB; 1 for
    /// `simd::scalar_arch`, whose targets (microcontrollers) run one sample at a time.
    static constexpr std::size_t batch_tile = [] {
        if constexpr (std::is_same_v<Arch, simd::scalar_arch> || !layout::valid) {
            return std::size_t{1};
        } else {
            constexpr std::size_t bytes_per_sample = 3 * layers::padded_sum * sizeof(T);
            return std::clamp<std::size_t>(192 * 1024 / bytes_per_sample, 1, 32);
        }
    }();

    /// Every weight and bias zero, PReLU slopes at their initial value.
    constexpr BasicNetwork() noexcept {
        boost::hana::for_each(layers::types,
                              [&](auto layer) { decltype(layer)::type::initialize_defaults(storage_.data()); });
    }

    /// The output for one input. Inference mode: RReLU uses its mean slope.
    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        alignas(alignment) std::array<T, layers::max_padded_size> buffers[2];
        const T* in = x.data();
        std::size_t next = 0;
        boost::hana::for_each(layers::types, [&](auto layer) {
            using L = typename decltype(layer)::type;
            L::forward(storage_.data(), in, buffers[next].data());
            in = buffers[next].data();
            next ^= 1;
        });
        output_type y;
        for (std::size_t k = 0; k < output_size; ++k) y[k] = in[k];
        return y;
    }

    /// The outputs for a batch: `outputs[s] = forward(inputs[s])`, up to rounding (the sums
    /// are the same; the batched kernels may contract them differently). Runs batch_tile
    /// samples at a time through each layer, with two buffers of batch_tile x the widest
    /// layer on the stack.
    /// Requires: both spans have the same length.
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs) const noexcept {
        CTNN_ASSERT(inputs.size() == outputs.size(), "Network::forward: inputs and outputs differ in length");
        if constexpr (batch_tile == 1) {
            for (std::size_t s = 0; s < inputs.size(); ++s) outputs[s] = forward(inputs[s]);
        } else {
            using row = std::array<T, layers::max_padded_size>;
            alignas(alignment) std::array<row, batch_tile> buffers[2];
            for (std::size_t first = 0; first < inputs.size(); first += batch_tile) {
                const std::size_t count = std::min(batch_tile, inputs.size() - first);
                detail::static_for<layer_count>([&](auto i) {
                    using L = typename layers::template at<i>;
                    if constexpr (i == 0) {
                        L::forward(storage_.data(), inputs.data() + first, buffers[0].data(), count);
                    } else {
                        L::forward(storage_.data(), buffers[(i - 1) % 2].data(), buffers[i % 2].data(), count);
                    }
                });
                const row* out = buffers[(layer_count - 1) % 2].data();
                for (std::size_t s = 0; s < count; ++s) {
                    for (std::size_t k = 0; k < output_size; ++k) outputs[first + s][k] = out[s][k];
                }
            }
        }
    }

    /// Copies every parameter out in the canonical order: for each layer its weight as
    /// [out][in] row-major, then its bias, then its PReLU slopes (PyTorch's nn.Sequential
    /// state_dict order).
    constexpr void read_parameters(std::span<T, parameter_count> out) const noexcept {
        for_each_parameter([&](std::size_t k, std::size_t s) { out[k] = storage_[s]; });
    }

    /// A network with the given parameters, in the canonical order. Usable in a constant
    /// expression, so trained weights can live in read-only memory:
    /// `constexpr Net net = Net::from_parameters(weights);`
    [[nodiscard]] static constexpr BasicNetwork from_parameters(std::span<const T, parameter_count> in) noexcept {
        BasicNetwork net;
        net.write_parameters(in);
        return net;
    }

    /// Sets every parameter from `in`, in the canonical order.
    constexpr void write_parameters(std::span<const T, parameter_count> in) noexcept {
        const T* canonical = in.data();
        boost::hana::for_each(layers::types, [&](auto layer) {
            using L = typename decltype(layer)::type;
            L::write_canonical(canonical, storage_.data());
            canonical += L::parameter_count;
        });
    }

    /// The parameter at canonical index `k`. Requires: k < parameter_count.
    [[nodiscard]] constexpr T parameter(std::size_t k) const noexcept { return storage_[storage_index(k)]; }

    /// Sets the parameter at canonical index `k`. Requires: k < parameter_count.
    constexpr void set_parameter(std::size_t k, T value) noexcept { storage_[storage_index(k)] = value; }

    /// The raw, padded storage, for optimisers that update every scalar alike. Padding
    /// lanes must stay zero.
    [[nodiscard]] std::span<T, storage_size> storage() noexcept { return storage_; }
    [[nodiscard]] std::span<const T, storage_size> storage() const noexcept { return storage_; }

    /// Calls `f(k, s)` for each parameter: canonical index k, storage index s.
    template <class F>
    static constexpr void for_each_parameter(F&& f) {
        std::size_t first = 0;
        boost::hana::for_each(layers::types, [&](auto layer) {
            using L = typename decltype(layer)::type;
            L::for_each_parameter([&](std::size_t k, std::size_t s) { f(first + k, s); });
            first += L::parameter_count;
        });
    }

    /// Storage index of the parameter at canonical index `k`.
    [[nodiscard]] static constexpr std::size_t storage_index(std::size_t k) noexcept {
        CTNN_ASSERT(k < parameter_count, "Network: parameter index out of range");
        std::size_t found = 0;
        bool done = false;
        boost::hana::for_each(layers::types, [&](auto layer) {
            using L = typename decltype(layer)::type;
            if (done) return;
            if (k < L::parameter_count) {
                found = L::storage_index(k);
                done = true;
            } else {
                k -= L::parameter_count;
            }
        });
        return found;
    }

    friend constexpr bool operator==(const BasicNetwork&, const BasicNetwork&) = default;

private:
    alignas(alignment) std::array<T, storage_size> storage_{};
};

/// A network with the kernels of the instruction set the compiler targets (scalar when
/// there is none, or when CTNN_FORCE_SCALAR is defined).
///
/// @tparam T        float or double
/// @tparam InputSpec ctnn::Input<N>
/// @tparam Layers   one or more ctnn::Dense<Units, Activation>
template <class T, class InputSpec, class... Layers>
using Network = BasicNetwork<simd::default_arch, T, InputSpec, Layers...>;

}  // namespace ctnn
