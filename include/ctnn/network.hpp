#pragma once

/// @file
/// ctnn::Network: a multilayer perceptron whose topology is its type.

#include "ctnn/activation/softmax.hpp"
#include "ctnn/config.hpp"
#include "ctnn/detail/inference.hpp"
#include "ctnn/detail/layer_list.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/workspace.hpp"

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

private:
    template <std::size_t I>
    static constexpr bool valid_layer_index = [] {
        static_assert(I < layer_count,
                      "ctnn::Network::layer_input_size<I> / layer_output_size<I>: I must be below layer_count (the "
                      "Dense layers are numbered from 0; Input is not one)");
        return I < layer_count;
    }();
    template <std::size_t I>
    using checked_layer = typename layers::template at<valid_layer_index<I> ? I : 0>;

public:
    /// The fan-in of Dense layer `I` (0 for the first after the input): PyTorch's
    /// `net[i].in_features`. Requires: I < layer_count.
    template <std::size_t I>
    static constexpr std::size_t layer_input_size = checked_layer<I>::input_size;
    /// The units of Dense layer `I`: PyTorch's `net[i].out_features`. Requires: I < layer_count.
    template <std::size_t I>
    static constexpr std::size_t layer_output_size = checked_layer<I>::output_size;
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

private:
    // A row of the widest layer; forward(x) keeps two (one layer's input and output), the batch
    // forward two tiles of batch_tile.
    using buffer_row = std::array<T, layers::max_padded_size>;
    using sample_buffers = std::array<buffer_row, 2>;
    using tile_buffers = std::array<std::array<buffer_row, batch_tile>, 2>;

public:
    /// Bytes of the buffers forward(x) puts on the stack: two rows of the widest layer,
    /// 2 x padded(max units) x sizeof(T), where padded(n) rounds n up to whole registers
    /// (128 for 2-16-16-1 float; 8 MiB, Linux's default stack, for a layer of 2^20 float units).
    /// The calls' own frames come on top. forward(x, workspace) puts none there.
    static constexpr std::size_t forward_stack_bytes = sizeof(sample_buffers);
    /// Bytes of the buffers the batch forward(inputs, outputs) puts on the stack:
    /// batch_tile x forward_stack_bytes. forward(inputs, outputs, workspace) puts none there.
    static constexpr std::size_t batch_forward_stack_bytes = sizeof(tile_buffers);
    /// Bytes of the buffers ctnn::backward and ctnn::loss put on the stack when no workspace is
    /// given (a ctnn::Workspace<Net>): 3 x batch_tile x (sum of padded(units) over the layers)
    /// x sizeof(T), plus padded(units) x sizeof(T) per RReLU layer. Passing a workspace puts none there.
    static constexpr std::size_t backward_stack_bytes = sizeof(typename layers::template caches<batch_tile>);

    /// Every weight and bias zero, PReLU slopes at their initial value.
    constexpr BasicNetwork() noexcept {
        boost::hana::for_each(layers::types,
                              [&](auto layer) { decltype(layer)::type::initialize_defaults(storage_.data()); });
    }

    /// The output for one input. Inference mode: RReLU uses its mean slope.
    /// Puts forward_stack_bytes of buffers on the stack; forward(x, workspace) puts none there.
    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        alignas(alignment) sample_buffers buffers;
        return forward_sample(x, [&](auto i) { return buffers[i % 2].data(); });
    }

    /// forward(x) with the workspace's rows as its buffers instead of the stack, for layers too
    /// wide for the stack: the same output, bit for bit, and in inference mode too, whatever the
    /// workspace's RReLU mode. Overwrites the first `y` row of every layer in the workspace.
    template <std::size_t S>
    [[nodiscard]] output_type forward(const input_type& x, Workspace<BasicNetwork, S>& workspace) const noexcept {
        return forward_sample(x, [&](auto i) { return workspace.template layer<i>().y[0].data(); });
    }

    /// The outputs for a batch: `outputs[s] = forward(inputs[s])`, up to rounding (the sums
    /// are the same; the batched kernels may contract them differently). Runs batch_tile
    /// samples at a time through each layer, with batch_forward_stack_bytes of buffers (two
    /// tiles of batch_tile rows of the widest layer) on the stack.
    /// Requires: both spans have the same length.
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs) const noexcept {
        alignas(alignment) tile_buffers buffers;
        forward_batch<batch_tile>(inputs, outputs, [&](auto i) { return buffers[i % 2].data(); });
    }

    /// The batch forward with the workspace's rows as its buffers instead of the stack: tiles of
    /// `S` samples (the workspace's), each layer's outputs in its `y` rows; inference mode, as
    /// forward(inputs, outputs), and equal to it bit for bit when S is batch_tile.
    /// Requires: both spans have the same length.
    template <std::size_t S>
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs,
                 Workspace<BasicNetwork, S>& workspace) const noexcept {
        forward_batch<S>(inputs, outputs, [&](auto i) { return workspace.template layer<i>().y.data(); });
    }

    /// Not a forward: inputs or outputs of another scalar type or size than the network's
    /// stop here with one sentence (detail/sample_types.hpp).
    template <class In, class... Rest>
        requires detail::WrongSamplesFor<BasicNetwork, In, Rest...> output_type forward(const In&, Rest&&...)
    const noexcept {
        static_assert(!detail::WrongSamplesFor<BasicNetwork, In, Rest...>,
                      "ctnn::Network::forward(inputs[, outputs]): " CTNN_DETAIL_SAMPLES_FIX);
        return {};
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
    // One sample through every layer: layer i writes its padded output row to rows(i), which the
    // next layer reads.
    template <class Rows>
    output_type forward_sample(const input_type& x, Rows&& rows) const noexcept {
        return detail::forward_sample<layers, output_type>(x, rows, layer_forward());
    }

    // The batch through every layer, Tile samples at a time: layer i writes the tile's rows to
    // rows(i) (Tile rows of at least its padded width), which the next layer reads.
    template <std::size_t Tile, class Rows>
    void forward_batch(std::span<const input_type> inputs, std::span<output_type> outputs, Rows&& rows) const noexcept {
        detail::forward_batch<layers, Tile>(inputs, outputs, rows, layer_forward(),
                                            [&](auto i, const auto* x, auto* y, std::size_t count) {
                                                layers::template at<i>::forward(storage_.data(), x, y, count);
                                            });
    }

    // Layer i's one-sample forward, for detail::forward_sample.
    auto layer_forward() const noexcept {
        return [this](auto i, const T* x, T* y) { layers::template at<i>::forward(storage_.data(), x, y); };
    }

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
