#pragma once

/// @file
/// ctnn::QuantizedNetwork: a trained float network quantized after training (post-training
/// quantization, PTQ) to int8 weights and uint8 activations, with the conventions of PyTorch's
/// eager-mode static quantization on the QNNPACK engine, so that every quantum agrees with it.

#include "ctnn/activation/identity.hpp"
#include "ctnn/activation/relu.hpp"
#include "ctnn/activation/sigmoid.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/activation/tanh.hpp"
#include "ctnn/config.hpp"
#include "ctnn/detail/sample_types.hpp"
#include "ctnn/detail/static_for.hpp"
#include "ctnn/quant/calibration.hpp"
#include "ctnn/quant/int8_weights.hpp"
#include "ctnn/quant/observer.hpp"
#include "ctnn/quant/qparams.hpp"
#include "ctnn/quant/requantize.hpp"
#include "ctnn/quant/requantize_kernels.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/int8_kernels.hpp"
#include "ctnn/simd/ops.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn {

namespace detail {

/// The activations an int8 layer computes: in integers (Linear, ReLU), by a lookup table (Tanh,
/// Sigmoid), or in float after the last layer (Softmax).
template <class Act>
inline constexpr bool quantizable_activation =
    std::is_same_v<Act, Linear> || std::is_same_v<Act, ReLU> || std::is_same_v<Act, Tanh> ||
    std::is_same_v<Act, Sigmoid> || std::is_same_v<Act, Softmax>;

template <class Act>
inline constexpr bool uses_lookup_table = std::is_same_v<Act, Tanh> || std::is_same_v<Act, Sigmoid>;

/// The fixed output quantization of PyTorch's quantized tanh and sigmoid on QNNPACK (scale 2/256,
/// zero point 128: [-1, 1); scale 1/256, zero point 0: [0, 1)), which ignore any observer
/// (aten/src/ATen/native/quantized/cpu/qtanh.cpp, qsigmoid.cpp).
template <class Act>
[[nodiscard]] constexpr QuantizationParams fixed_output_qparams() noexcept {
    if constexpr (std::is_same_v<Act, Tanh>) {
        return {2.0f / 256.0f, 128};
    } else {
        return {1.0f / 256.0f, 0};
    }
}

/// In place of a member a layer does not keep (a table without Tanh or Sigmoid, weight scales with a requantizer
/// that keeps none): with [[no_unique_address]] no bytes, and every two equal. `Member` names the member, so that two
/// absent members are of different types (two objects of one type may not share an address).
template <class Member>
struct absent_member {
    friend constexpr bool operator==(absent_member, absent_member) noexcept { return true; }
};
using no_lookup_table = absent_member<struct lookup_table_member>;
using no_weight_scales = absent_member<struct weight_scales_member>;

/// int64 to int32, saturating.
[[nodiscard]] constexpr std::int32_t saturate_int32(std::int64_t v) noexcept {
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, INT32_MIN, INT32_MAX));
}

/// One Dense layer of In inputs and Out units with activation Act, quantized: its parameters and
/// nothing else (a plain aggregate; ctnn::QuantizedNetwork fills it). Units are output channels.
template <class Arch, std::size_t In, std::size_t Out, class Act, class Requantizer>
struct quantized_dense_layer {
    using activation = Act;
    using multiplier_type = typename Requantizer::multiplier_type;

    static constexpr std::size_t input_size = In;
    static constexpr std::size_t output_size = Out;
    /// int8 weights per stored row: In rounded up to a multiple of 4 (the padding is zero).
    static constexpr std::size_t row_stride = (In + 3) / 4 * 4;
    static constexpr bool has_lookup_table = uses_lookup_table<Act>;
    /// Whether the layer keeps each unit's weight scale (requantizer_keeps_weight_scales: FloatRequantizer's do).
    static constexpr bool has_weight_scales = requantizer_keeps_weight_scales<Requantizer>;

    /// Per unit o: the quantized bias (at scale s_in x s_w[o]) minus z_in x sum_i w[o][i], so that
    /// bias + sum_i x[i] w[o][i] is the accumulator of PyTorch's sum_i (x[i] - z_in) w[o][i] + bias.
    std::array<std::int32_t, Out> bias{};
    /// Per unit: the int8 weights' scale s_w[o] (zero point 0), which the multiplier holds already and no pass reads;
    /// kept where the requantizer keeps it (has_weight_scales), otherwise no bytes.
    [[no_unique_address]] std::conditional_t<has_weight_scales, std::array<float, Out>, no_weight_scales>
        weight_scales{};
    /// Per unit: the requantizer's constant for s_in x s_w[o] / s_linear.
    std::array<multiplier_type, Out> multipliers{};
    /// The quantization of the Linear's output (with ReLU: of the rectified output), which the
    /// accumulators are requantized to: the observer's.
    QuantizationParams linear_qparams{};
    /// The quantization of the layer's output: linear_qparams, or Tanh's and Sigmoid's fixed ones.
    QuantizationParams output_qparams{};
    /// The int8 weights, weights(o, i) for o < Out and i < row_stride (zero from In on), stored in the layout the
    /// int8 kernel of Arch reads fastest (simd::int8_layout_of<Arch>: rows, or groups of 4 inputs interleaved across
    /// outputs with AVX-512 VNNI); Out x row_stride bytes in either.
    int8_weight_matrix<Out, In, simd::int8_layout_of<Arch>> weights{};
    /// Tanh and Sigmoid: the output quantum of each linear quantum.
    [[no_unique_address]] std::conditional_t<has_lookup_table, std::array<std::uint8_t, 256>, no_lookup_table>
        lookup_table{};

    /// sizeof(*this): the members' bytes, no padding (every array is a whole number of 4-byte words). Per unit 12
    /// bytes with either of ctnn's requantizers: bias, weight scale and float multiplier, or bias and fixed-point
    /// multiplier and shift.
    static constexpr std::size_t bytes =
        Out * (sizeof(std::int32_t) + (has_weight_scales ? sizeof(float) : 0) + sizeof(multiplier_type)) +
        2 * sizeof(QuantizationParams) + Out * row_stride + (has_lookup_table ? 256 : 0);

    /// Every member equal (scales and float multipliers by value).
    friend constexpr bool operator==(const quantized_dense_layer&, const quantized_dense_layer&) = default;

    /// One sample: `x` the In input quanta; writes the Out linear quanta to `linear` and the
    /// output quanta to `y` (the same values without a lookup table; `linear` may be `y` then).
    void forward(const std::uint8_t* x, std::uint8_t* linear, std::uint8_t* y) const noexcept {
        std::array<std::int32_t, Out> acc = bias;
        simd::int8_matvec<Arch, Out, In, row_stride, decltype(weights)::layout>(x, weights.data(), acc.data());
        requantize(acc.data(), linear, y);
    }

    /// `samples` samples at once: sample s reads its In input quanta at x + s * row_stride and writes its Out linear
    /// and output quanta at linear + s * out_stride and y + s * out_stride (as forward; `linear` may be `y` without
    /// a lookup table). `acc`: room for samples * Out sums. The same quanta as forward on each sample.
    template <std::size_t OutStride>
    void forward_batch(const std::uint8_t* x, std::size_t samples, std::uint8_t* linear, std::uint8_t* y,
                       std::int32_t* acc) const noexcept {
        for (std::size_t s = 0; s < samples; ++s) std::copy(bias.begin(), bias.end(), acc + s * Out);
        simd::int8_batch_matvec<Arch, Out, In, row_stride, decltype(weights)::layout>(x, weights.data(), acc, samples);
        for (std::size_t s = 0; s < samples; ++s) requantize(acc + s * Out, linear + s * OutStride, y + s * OutStride);
    }

private:
    // The sums of one sample to its linear quanta (ReLU fused into the requantization: quantized::linear_relu clamps
    // at the quantum of 0) and, through Tanh's or Sigmoid's table, its output quanta.
    void requantize(const std::int32_t* acc, std::uint8_t* linear, std::uint8_t* y) const noexcept {
        const std::int32_t low = std::is_same_v<Act, ReLU> ? linear_qparams.zero_point : 0;
        requantize_values<Arch, Requantizer, Out>(acc, multipliers.data(), linear_qparams.zero_point, low, linear);
        if constexpr (has_lookup_table) {
            for (std::size_t o = 0; o < Out; ++o) y[o] = lookup_table[linear[o]];
        }
    }
};

/// The quantized layers, one after another in a plain aggregate (trivially copyable, no padding
/// between layers of 4-byte alignment).
template <class... Layers>
struct layer_pack;
template <class First>
struct layer_pack<First> {
    First first;
    friend constexpr bool operator==(const layer_pack&, const layer_pack&) = default;
};
template <class First, class Second, class... Rest>
struct layer_pack<First, Second, Rest...> {
    First first;
    layer_pack<Second, Rest...> rest;
    friend constexpr bool operator==(const layer_pack&, const layer_pack&) = default;
};

/// The layer_pack of `first, rest...`, in order.
template <class First, class... Rest>
[[nodiscard]] constexpr layer_pack<First, Rest...> make_layer_pack(const First& first, const Rest&... rest) noexcept {
    if constexpr (sizeof...(Rest) == 0) {
        return {first};
    } else {
        return {first, make_layer_pack(rest...)};
    }
}

template <std::size_t I, class Pack>
[[nodiscard]] constexpr auto& get_layer(Pack& pack) noexcept {
    if constexpr (I == 0) {
        return pack.first;
    } else {
        return get_layer<I - 1>(pack.rest);
    }
}

template <class Net, class Requantizer, class Indices>
struct quantized_layers_of;
template <class Net, class Requantizer, std::size_t... I>
struct quantized_layers_of<Net, Requantizer, std::index_sequence<I...>> {
    template <std::size_t K>
    using float_layer = typename Net::layers::template at<K>;
    template <std::size_t K>
    using layer = quantized_dense_layer<typename Net::arch_type, float_layer<K>::input_size,
                                        float_layer<K>::output_size, typename float_layer<K>::activation, Requantizer>;
    using type = layer_pack<layer<I>...>;
    static constexpr bool all_quantizable = (quantizable_activation<typename float_layer<I>::activation> && ...);
    static constexpr std::size_t bytes = (layer<I>::bytes + ...);
    static constexpr std::size_t output_sum = (float_layer<I>::output_size + ...);
    static constexpr std::size_t max_width = std::max({Net::input_size, float_layer<I>::output_size...});
    static constexpr std::size_t max_output = std::max({float_layer<I>::output_size...});
};

}  // namespace detail

/// A trained float network `Net` (a ctnn::Network of float) quantized after training: int8
/// weights per output unit (symmetric), uint8 activations per tensor (affine), int32 biases and
/// accumulators, with the conventions of PyTorch's static quantization on its QNNPACK engine
/// (see ctnn::quantize and the README's "Quantized networks"), so every quantum agrees with
/// PyTorch's.
///
/// One layer's pass: acc[o] = bias[o] + sum_i x[i] w[o][i] (simd::int8_matvec, with Net's arch), then
/// Requantizer::apply to the Linear's quantization (with ReLU: clamped at its zero point), then
/// Tanh's or Sigmoid's 256-entry table. forward() quantizes the float input with input_qparams()
/// and dequantizes the last layer's output (Softmax: of its logits, then a float softmax).
///
/// @tparam Net          the float network's type; every activation ctnn::Linear, ctnn::ReLU,
///                      ctnn::Tanh, ctnn::Sigmoid or (output) ctnn::Softmax (a static_assert says so)
/// @tparam Requantizer  ctnn::FloatRequantizer (QNNPACK's float path, the default: agrees with PyTorch
///                      quantum for quantum) or ctnn::FixedPointRequantizer (TFLite's integer-only path)
///
/// The object holds the parameters and nothing else: sizeof is storage_bytes (int8 weights in
/// rows padded to 4 bytes; per unit an int32 bias and the multiplier, with FloatRequantizer also the
/// float weight scale: 12 bytes either way; per layer two qparams and Tanh's or Sigmoid's 256-byte
/// table; and the input's qparams). No heap; trivially copyable. Default-constructed: every parameter
/// zero (weight scales too), every qparams' scale 1: io::save refuses it (invalid_parameter) where a layer keeps weight
/// scales (FloatRequantizer) or uses Tanh or Sigmoid (whose output qparams are fixed).
template <class Net, class Requantizer = FloatRequantizer>
class QuantizedNetwork {
    static_assert(std::is_same_v<typename Net::value_type, float>,
                  "ctnn::QuantizedNetwork<Net>: Net must be a network of float; quantize a ctnn::Network<float, ...>");

    using list = detail::quantized_layers_of<Net, Requantizer, std::make_index_sequence<Net::layer_count>>;
    static_assert(list::all_quantizable,
                  "ctnn::QuantizedNetwork<Net>: int8 layers exist for ctnn::Linear, ctnn::ReLU, ctnn::Tanh, "
                  "ctnn::Sigmoid and (output) ctnn::Softmax only; use one of those in every layer");

public:
    using network_type = Net;
    using requantizer_type = Requantizer;
    using output_activation = typename Net::output_activation;
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;
    /// Layer I's quantized parameters (detail::quantized_dense_layer). Requires: I < layer_count.
    template <std::size_t I>
    using layer_type = typename list::template layer<I>;

    static constexpr std::size_t input_size = Net::input_size;
    static constexpr std::size_t output_size = Net::output_size;
    static constexpr std::size_t layer_count = Net::layer_count;
    /// sizeof(*this): the input's qparams and every layer's layer_type<I>::bytes.
    static constexpr std::size_t storage_bytes = sizeof(QuantizationParams) + list::bytes;
    /// Quanta forward_quanta writes: the input's, then per layer its Linear's and its output's.
    static constexpr std::size_t quanta_size = input_size + 2 * list::output_sum;

    /// Where layer i's Linear quanta (its requantized accumulators) start in forward_quanta's span;
    /// its output quanta follow them (after Tanh or Sigmoid: the table's; otherwise the same values).
    [[nodiscard]] static constexpr std::size_t linear_quanta_offset(std::size_t i) noexcept {
        std::size_t offset = input_size;
        detail::static_for<layer_count>([&](auto k) {
            if (k < i) offset += 2 * layer_type<k>::output_size;
        });
        return offset;
    }
    /// Where layer i's output quanta start in forward_quanta's span.
    [[nodiscard]] static constexpr std::size_t output_quanta_offset(std::size_t i) noexcept {
        std::size_t units = 0;
        detail::static_for<layer_count>([&](auto k) {
            if (k == i) units = layer_type<k>::output_size;
        });
        return linear_quanta_offset(i) + units;
    }

    QuantizedNetwork() = default;

    /// The network of the given parameters, as they are: `input_qparams` and one layer_type<I> per layer, in order
    /// (what io::export_header writes for a quantized network, so that a firmware builds it at compile time, and
    /// io::load). Requires: every layer keeps the invariants quantize() gives it (scales positive and finite, zero
    /// points in 0 .. 255, multipliers Requantizer::multiplier of the scales, Tanh's and Sigmoid's fixed output
    /// qparams).
    template <class... Layers>
        requires(std::is_same_v<detail::layer_pack<Layers...>, typename list::type>)
    constexpr QuantizedNetwork(const QuantizationParams& input_qparams, const Layers&... layers) noexcept
        : input_qparams_(input_qparams), layers_(detail::make_layer_pack(layers...)) {}

    /// `net` quantized with the ranges `calibration` observed (see ctnn::quantize).
    /// Requires: every observer of `calibration` saw a value, all finite (CTNN_ASSERT).
    QuantizedNetwork(const Net& net, const Calibration<Net>& calibration) noexcept;

    /// The output for one input: quantized with input_qparams(), through every int8 layer, the last
    /// layer's output dequantized (Softmax: the softmax, in float, of its dequantized logits).
    /// Puts a few rows of the widest layer's quanta and int32 accumulators on the stack.
    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        output_type y;
        run(
            x, [](auto, const std::uint8_t*, const std::uint8_t*) {}, y);
        return y;
    }

    /// The output for an input given as its quanta, `input[k]` the quantum of input k at input_qparams() (its real
    /// value (input[k] - zero_point) x scale): from a sensor or an ADC whose readings are already such quanta, it
    /// skips forward's quantization of a float input. Every layer and the output as forward's: forward(x) ==
    /// forward_from_quanta(q), bit for bit, when q[k] = input_qparams().quantize(x[k]) (the quanta forward_quanta
    /// writes first). Any byte is a quantum: no error. Puts as much on the stack as forward.
    [[nodiscard]] output_type forward_from_quanta(std::span<const std::uint8_t, input_size> input) const noexcept {
        output_type y;
        rows_type rows;
        run_layers(
            input.data(), rows, [](auto, const std::uint8_t*, const std::uint8_t*) {}, y);
        return y;
    }

    /// forward(x) for each sample: outputs[s] = forward(inputs[s]), bit for bit. Runs batch_tile samples at a
    /// time through each layer (simd::int8_batch_matvec), their quanta and sums on the stack (batch_tile_bytes).
    /// Requires: both spans have the same length (CTNN_ASSERT).
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs) const noexcept {
        CTNN_ASSERT(inputs.size() == outputs.size(), "QuantizedNetwork::forward: inputs and outputs differ in length");
        for (std::size_t first = 0; first < inputs.size(); first += batch_tile) {
            const std::size_t count = std::min(batch_tile, inputs.size() - first);
            run_tile(inputs.data() + first, count, outputs.data() + first);
        }
    }

    /// Not a forward: inputs or outputs of another scalar type or size than the network's (a std::array<double, N>,
    /// a vector of arrays of another size) stop here with one sentence (detail/sample_types.hpp), as the float
    /// network's forward does.
    template <class In, class... Rest>
        requires detail::WrongSamplesFor<QuantizedNetwork, In, Rest...> output_type forward(const In&, Rest&&...)
    const noexcept {
        static_assert(!detail::WrongSamplesFor<QuantizedNetwork, In, Rest...>,
                      "ctnn::QuantizedNetwork::forward(inputs[, outputs]): " CTNN_DETAIL_SAMPLES_FIX);
        return {};
    }

    /// forward(x), also writing every quantum of the pass to `quanta`: the input's quanta from 0,
    /// layer i's Linear quanta from linear_quanta_offset(i) and its output quanta from
    /// output_quanta_offset(i). They are PyTorch's `int_repr()` of the QuantStub's output, of each
    /// quantized Linear (LinearReLU) and of each quantized tanh / sigmoid.
    output_type forward_quanta(const input_type& x, std::span<std::uint8_t, quanta_size> quanta) const noexcept {
        output_type y;
        run(
            x,
            [&](auto i, const std::uint8_t* linear, const std::uint8_t* out) {
                constexpr std::size_t units = i == layer_count ? input_size : layer_type<i % layer_count>::output_size;
                if constexpr (i == layer_count) {
                    std::copy(out, out + units, quanta.data());
                } else {
                    std::copy(linear, linear + units, quanta.data() + linear_quanta_offset(i));
                    std::copy(out, out + units, quanta.data() + output_quanta_offset(i));
                }
            },
            y);
        return y;
    }

    /// The class predicted for `x`: for one output unit, 1 when forward(x)[0] >= 0.5 (Sigmoid: the
    /// quantum is at least 128), else 0; otherwise the first unit of the largest output quantum (for
    /// Softmax: of the largest logit quantum), as data::predict_class decides on floats.
    [[nodiscard]] std::size_t predict_class(const input_type& x) const noexcept {
        std::array<std::uint8_t, output_size> last{};
        output_type y;
        run(
            x,
            [&](auto i, const std::uint8_t*, const std::uint8_t* out) {
                if constexpr (i + 1 == layer_count) std::copy(out, out + output_size, last.data());
            },
            y);
        if constexpr (output_size == 1) {
            return y[0] >= 0.5f ? 1 : 0;
        } else {
            std::size_t best = 0;
            for (std::size_t k = 1; k < output_size; ++k) {
                if (last[k] > last[best]) best = k;
            }
            return best;
        }
    }

    /// The network input's quantization (the QuantStub's). The non-const overload lets a loader write it; the
    /// constructor's invariants are then the writer's to keep.
    [[nodiscard]] constexpr const QuantizationParams& input_qparams() const noexcept { return input_qparams_; }
    [[nodiscard]] constexpr QuantizationParams& input_qparams() noexcept { return input_qparams_; }

    /// Layer I's quantized parameters (non-const: as input_qparams()). Requires: I < layer_count.
    template <std::size_t I>
    [[nodiscard]] constexpr const layer_type<I>& layer() const noexcept {
        static_assert(I < layer_count, "ctnn::QuantizedNetwork::layer<I>: I must be below layer_count");
        return detail::get_layer<I>(layers_);
    }
    template <std::size_t I>
    [[nodiscard]] constexpr layer_type<I>& layer() noexcept {
        static_assert(I < layer_count, "ctnn::QuantizedNetwork::layer<I>: I must be below layer_count");
        return detail::get_layer<I>(layers_);
    }

    /// Every parameter equal (see quantized_dense_layer's ==).
    friend constexpr bool operator==(const QuantizedNetwork&, const QuantizedNetwork&) = default;

    /// The most output units of a layer.
    static constexpr std::size_t max_units = list::max_output;

private:
    // A layer's quanta per sample in the batch pass: whole 4-byte words, as the int8 kernels' rows.
    static constexpr std::size_t row_bytes = (list::max_width + 3) / 4 * 4;

public:
    /// Samples the batch forward takes through each layer at once: as many as keep their quanta (two rows of the
    /// widest layer and the Tanh / Sigmoid layers' linear quanta) and int32 sums within 16 KB, half of a common L1
    /// data cache, rounded down to a multiple of 4 (the int8 kernels' tiles of samples divide it), from 4 to 32.
    static constexpr std::size_t batch_tile =
        std::clamp<std::size_t>(16384 / (3 * row_bytes + 4 * max_units) / 4 * 4, 4, 32);
    /// The stack bytes of the batch forward's quanta and sums: at most 16 KB where 3 x (the widest row, in
    /// bytes) + 4 x (the most units of a layer) <= 4096; beyond, those of 4 samples.
    static constexpr std::size_t batch_tile_bytes = batch_tile * (3 * row_bytes + 4 * max_units);

private:
    // Rows of whole 4-byte words, as the weights' rows; the kernels read no byte past a row's In.
    using rows_type = std::array<std::array<std::uint8_t, row_bytes>, 2>;

    // One sample through every layer; `sink(i, linear, out)` sees each layer's quanta (and, with i
    // == layer_count, the input's), `y` receives the float output.
    template <class Sink>
    void run(const input_type& x, Sink&& sink, output_type& y) const noexcept {
        rows_type rows;
        detail::quantize_values<typename Net::arch_type, input_size>(input_qparams_, x.data(), rows[0].data());
        sink(std::integral_constant<std::size_t, layer_count>{}, rows[0].data(), rows[0].data());
        run_layers(rows[0].data(), rows, sink, y);
    }

    // The layers of run on the input quanta `input` (input_size bytes, read in place), in `rows`.
    template <class Sink>
    void run_layers(const std::uint8_t* input, rows_type& rows, Sink&& sink, output_type& y) const noexcept {
        std::array<std::uint8_t, row_bytes> linear;
        detail::static_for<layer_count>([&](auto i) {
            const auto& layer = detail::get_layer<i>(layers_);
            std::uint8_t* out = rows[(i + 1) % 2].data();
            std::uint8_t* lin = layer_type<i>::has_lookup_table ? linear.data() : out;
            layer.forward(i == 0 ? input : rows[i % 2].data(), lin, out);
            sink(i, lin, out);
        });
        dequantize_output(rows[layer_count % 2].data(), y);
    }

    // `count` samples (at most batch_tile) through every layer together: the quanta of sample s in rows of
    // row_stride bytes of each layer (its input's In rounded up to 4), as simd::int8_batch_matvec reads them.
    void run_tile(const input_type* x, std::size_t count, output_type* y) const noexcept {
        // Zeroed: the kernels read no byte past a sample's In, but the compiler cannot tell.
        std::array<std::array<std::uint8_t, batch_tile * row_bytes>, 2> rows{};
        std::array<std::uint8_t, batch_tile * row_bytes> linear;
        std::array<std::int32_t, batch_tile * max_units> acc;
        constexpr std::size_t input_stride = layer_type<0>::row_stride;
        for (std::size_t s = 0; s < count; ++s)
            detail::quantize_values<typename Net::arch_type, input_size>(input_qparams_, x[s].data(),
                                                                         rows[0].data() + s * input_stride);
        detail::static_for<layer_count>([&](auto i) {
            using L = layer_type<i>;
            constexpr std::size_t out_stride = (L::output_size + 3) / 4 * 4;
            std::uint8_t* out = rows[(i + 1) % 2].data();
            std::uint8_t* lin = L::has_lookup_table ? linear.data() : out;
            detail::get_layer<i>(layers_).template forward_batch<out_stride>(rows[i % 2].data(), count, lin, out,
                                                                             acc.data());
        });
        constexpr std::size_t last_stride = (output_size + 3) / 4 * 4;
        for (std::size_t s = 0; s < count; ++s) dequantize_output(rows[layer_count % 2].data() + s * last_stride, y[s]);
    }

    // The last layer's output quanta `out` to floats (Softmax: the softmax of the dequantized logits).
    void dequantize_output(const std::uint8_t* out, output_type& y) const noexcept {
        const auto& last = detail::get_layer<layer_count - 1>(layers_);
        if constexpr (std::is_same_v<output_activation, Softmax>) {
            std::array<float, output_size> logits;
            for (std::size_t k = 0; k < output_size; ++k) logits[k] = last.linear_qparams.dequantize(out[k]);
            Softmax::apply(logits.data(), y.data(), output_size);
        } else {
            for (std::size_t k = 0; k < output_size; ++k) y[k] = last.output_qparams.dequantize(out[k]);
        }
    }

    QuantizationParams input_qparams_{};
    typename list::type layers_{};
};

template <class Net, class Requantizer>
QuantizedNetwork<Net, Requantizer>::QuantizedNetwork(const Net& net, const Calibration<Net>& calibration) noexcept {
    input_qparams_ = calibration.input().qparams();
    QuantizationParams in = input_qparams_;
    const auto storage = net.storage();
    detail::static_for<layer_count>([&](auto i) {
        using F = typename Net::layers::template at<i>;  // the float layer: its storage layout
        using Q = layer_type<i>;
        using Act = typename Q::activation;
        auto& q = detail::get_layer<i>(layers_);
        const QuantizationParams linear = calibration.layer(i).qparams();
        q.linear_qparams = linear;
        if constexpr (Q::has_lookup_table) {
            q.output_qparams = detail::fixed_output_qparams<Act>();
        } else {
            q.output_qparams = linear;
        }
        for (std::size_t o = 0; o < Q::output_size; ++o) {
            const auto weight = [&](std::size_t k) { return storage[F::weight_index(k, o)]; };
            // PerChannelMinMaxObserver: max(-min(w, 0), max(w, 0)) over the unit's row = max |w|.
            float amax = 0.0f;
            for (std::size_t k = 0; k < Q::input_size; ++k) amax = std::max(amax, std::max(weight(k), -weight(k)));
            const float scale = symmetric_weight_scale(amax);
            std::int64_t row_sum = 0;
            for (std::size_t k = 0; k < Q::input_size; ++k) {
                const std::int8_t w = quantize_weight(weight(k), scale);
                q.weights.set(o, k, w);
                row_sum += w;
            }
            // QuantizeBias (quant_utils.h): quantize_per_channel(bias, double(s_w) * s_in, 0, qint32),
            // whose quantize_val rounds the double scale to float and multiplies by its float inverse.
            const auto bias_scale = static_cast<float>(static_cast<double>(scale) * static_cast<double>(in.scale));
            const std::int32_t bias = detail::round_to_int32(storage[F::bias_offset + o] * (1.0f / bias_scale));
            q.bias[o] = detail::saturate_int32(std::int64_t{bias} - std::int64_t{in.zero_point} * row_sum);
            if constexpr (Q::has_weight_scales) q.weight_scales[o] = scale;
            q.multipliers[o] = Requantizer::multiplier(in.scale, scale, linear.scale);
        }
        if constexpr (Q::has_lookup_table) {
            // QNNPACK's tables (pytorch_qnnp_create_tanh_nc_q8, _sigmoid_nc_q8), step by step:
            // tanh in double (C's tanh of a float), sigmoid in float (expf).
            for (std::int32_t k = 0; k < 256; ++k) {
                const float z = linear.scale * static_cast<float>(k - linear.zero_point);
                float value;
                if constexpr (std::is_same_v<Act, Tanh>) {
                    value = static_cast<float>(128.0 * std::tanh(static_cast<double>(z)) + 128.0);
                } else {
                    value = 256.0f / (1.0f + std::exp(-z));
                }
                q.lookup_table[static_cast<std::size_t>(k)] =
                    static_cast<std::uint8_t>(detail::round_half_even(detail::clamp_or_low(value, 0.0f, 255.0f)));
            }
        }
        in = q.output_qparams;
    });
}

/// `net` quantized after training with the ranges `calibration` observed:
/// - weights: int8, per output unit, symmetric (PerChannelMinMaxObserver(qint8, per_channel_symmetric)):
///   scale max|w| / 127.5 (ctnn::symmetric_weight_scale), quanta ctnn::quantize_weight;
/// - activations: uint8 per tensor, affine, from each observer's range (MinMaxObserver(quint8),
///   ctnn::MinMaxObserver::qparams): the input, and each layer's Linear output (ReLU: rectified);
///   Tanh and Sigmoid outputs at their fixed qparams, through a table of their values;
/// - biases: int32 at scale s_in x s_w[o], as PyTorch's QNNPACK linear quantizes its float bias;
/// - requantization: `Requantizer` (ctnn::FloatRequantizer: QNNPACK's).
/// Requires: every observer of `calibration` saw a value, all finite (CTNN_ASSERT).
template <class Requantizer = FloatRequantizer, class Net>
[[nodiscard]] QuantizedNetwork<Net, Requantizer> quantize(const Net& net,
                                                          const Calibration<Net>& calibration) noexcept {
    return QuantizedNetwork<Net, Requantizer>(net, calibration);
}

/// `net` quantized with the ranges it produces on `calibration_inputs` (a ctnn::Calibration that
/// observed every sample). Requires: at least one sample, and only finite values on the way
/// (CTNN_ASSERT).
template <class Requantizer = FloatRequantizer, class Net>
[[nodiscard]] QuantizedNetwork<Net, Requantizer> quantize(
    const Net& net, std::span<const typename Net::input_type> calibration_inputs) noexcept {
    CTNN_ASSERT(!calibration_inputs.empty(), "ctnn::quantize: the calibration set is empty");
    Calibration<Net> calibration;
    calibration.observe(net, calibration_inputs);
    return QuantizedNetwork<Net, Requantizer>(net, calibration);
}

}  // namespace ctnn
