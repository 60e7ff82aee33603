#pragma once

/// @file
/// A Dense spec bound to its scalar type, arch, input width and place in the network's
/// flat parameter storage. Stateless: the parameters live in the network, the buffers of
/// a training pass in a Workspace; this type only knows the layout and the kernels.
///
/// Storage of one layer, from `offset`, in scalars (P = padded<T, Arch>(Out)):
///   weights  In x P, input-major (row i: the weights from input i to every output);
///            for one output after at least a register of inputs, one row instead:
///            padded<T, Arch>(In) values, w[i] from input i (simd/row_kernels.hpp: a register
///            per input would hold one weight)
///   bias     P
///   slope    P          (PReLU only)
/// Padding lanes are zero and stay zero: their gradients are zero.

#include "ctnn/activation/relu.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/activation/traits.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/batch_kernels.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/narrow_kernels.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/row_kernels.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>

namespace ctnn::detail {

template <class Arch, class T, std::size_t In, std::size_t Out, class Act, std::size_t Offset>
struct dense_layer {
    using activation = Act;
    using vector = simd::vector_t<T, Arch>;

    static constexpr std::size_t input_size = In;
    static constexpr std::size_t output_size = Out;
    static constexpr std::size_t padded_size = simd::padded<T, Arch>(Out);
    static constexpr bool learned_slope = has_learned_slope<Act>;
    static constexpr bool random_slope = has_random_slope<Act>;

    /// One output after at least a register of inputs: the weights are one row (simd/row_kernels.hpp), not a
    /// register per input. With fewer inputs the row is one register as well, and the general batch kernel measured
    /// faster there (10-33-3-1's batch forward: 40 ns a sample against 51 with the row).
    static constexpr bool one_row = Out == 1 && In >= simd::width<T, Arch>;
    static constexpr std::size_t weights_size = one_row ? simd::padded<T, Arch>(In) : In * padded_size;

    static constexpr std::size_t weight_offset = Offset;
    static constexpr std::size_t bias_offset = weight_offset + weights_size;
    static constexpr std::size_t slope_offset = bias_offset + padded_size;
    static constexpr std::size_t storage_size = weights_size + padded_size + (learned_slope ? padded_size : 0);
    static constexpr std::size_t end_offset = Offset + storage_size;
    static constexpr std::size_t parameter_count = In * Out + Out + (learned_slope ? Out : 0);

    /// One sample's values of this layer: a row of whole registers.
    using row = std::array<T, padded_size>;

    /// The slopes of a layer without random slopes: no room in a cache, and none to hand to activate().
    struct no_slopes {
        [[nodiscard]] constexpr T* data() const noexcept { return nullptr; }
    };

    /// The buffers a training pass over up to `Samples` samples keeps for this layer, a row per sample:
    /// sizeof(cache<S>) is exactly 3 S rows (and one of RReLU slopes), so the sizes a network states
    /// (Network::backward_stack_bytes) count rows and nothing else.
    template <std::size_t Samples>
    struct cache {
        alignas(simd::alignment<T, Arch>) std::array<row, Samples> z{};      // pre-activation
        alignas(simd::alignment<T, Arch>) std::array<row, Samples> y{};      // activation
        alignas(simd::alignment<T, Arch>) std::array<row, Samples> delta{};  // dL/dz, then scratch
        // RReLU: this step's slope per unit, shared by the step's samples.
        [[no_unique_address]] alignas(
            simd::alignment<T, Arch>) std::conditional_t<random_slope, row, no_slopes> slope{};
    };

    /// Storage index of the weight from input i to output o.
    [[nodiscard]] static constexpr std::size_t weight_index(std::size_t i, std::size_t o) noexcept {
        return weight_offset + (one_row ? i : i * padded_size + o);
    }

    /// Calls `f(k, s)` for every parameter: `k` its index in the canonical order within the
    /// layer (weight [out][in] row-major, bias, slope), `s` its index in the storage.
    template <class F>
    static constexpr void for_each_parameter(F&& f) {
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t i = 0; i < In; ++i) f(o * In + i, weight_index(i, o));
        }
        for (std::size_t o = 0; o < Out; ++o) f(In * Out + o, bias_offset + o);
        if constexpr (learned_slope) {
            for (std::size_t o = 0; o < Out; ++o) f(In * Out + Out + o, slope_offset + o);
        }
    }

    /// Copies the layer's parameters from the canonical order (`canonical[0, parameter_count)`)
    /// into `storage`. The same mapping as for_each_parameter, as plain loops: in a constant
    /// expression (Network::from_parameters) each parameter then costs a few evaluation steps
    /// instead of a few dozen, which keeps large exported networks within clang's limit.
    static constexpr void write_canonical(const T* canonical, T* storage) noexcept {
        for (std::size_t o = 0; o < Out; ++o) {
            for (std::size_t i = 0; i < In; ++i) storage[weight_index(i, o)] = canonical[o * In + i];
        }
        for (std::size_t o = 0; o < Out; ++o) storage[bias_offset + o] = canonical[In * Out + o];
        if constexpr (learned_slope) {
            for (std::size_t o = 0; o < Out; ++o) storage[slope_offset + o] = canonical[In * Out + Out + o];
        }
    }

    /// Storage index of the parameter at canonical index `k` within the layer.
    [[nodiscard]] static constexpr std::size_t storage_index(std::size_t k) noexcept {
        if (k < In * Out) return weight_index(k % In, k / In);
        k -= In * Out;
        return k < Out ? bias_offset + k : slope_offset + (k - Out);
    }

    /// Sets the parameters that are not zero in a fresh layer (PReLU's initial slope).
    static constexpr void initialize_defaults(T* storage) noexcept {
        if constexpr (learned_slope) {
            constexpr T initial = static_cast<T>(Act::initial_slope::num) / static_cast<T>(Act::initial_slope::den);
            for (std::size_t o = 0; o < Out; ++o) storage[slope_offset + o] = initial;
        }
    }

    /// z = W x + b over all padded lanes.
    static void affine(const T* storage, const T* x, T* z) noexcept {
        affine_from(storage + weight_offset, storage + bias_offset, x, z);
    }

    /// y = f(z). `random_slopes` is this step's RReLU slopes, or null for the mean slope.
    static void activate(const T* storage, const T* z, T* y, const T* random_slopes = nullptr) noexcept {
        activate_with(learned_slope ? storage + slope_offset : random_slopes, z, y);
    }

    /// y = f(z) with the slopes at `slopes` (padded_size of them: PReLU's learned ones, or this step's RReLU
    /// ones); null for RReLU's mean slope. Ignored by activations without slopes.
    static void activate_with(const T* slopes, const T* z, T* y) noexcept {
        if constexpr (std::is_same_v<Act, Softmax>) {
            Softmax::apply_row<Arch, padded_size>(z, y, Out);
        } else if constexpr (learned_slope || random_slope) {
            for (std::size_t o = 0; o < padded_size; o += simd::width<T, Arch>) {
                const vector zv = simd::load<vector>(z + o);
                const vector a = slopes ? simd::load<vector>(slopes + o) : mean_slope();
                simd::store(y + o, Act::value(zv, a));
            }
        } else {
            simd::transform<Arch, padded_size>(z, y, [](const vector& v) { return Act::value(v); });
        }
    }

    /// Inference forward for one sample: z and y may be the same buffer.
    static void forward(const T* storage, const T* x, T* y) noexcept {
        forward_from(storage + weight_offset, storage + bias_offset, x, y);
    }

    /// Inference forward for `samples` samples, x[s] to y[s] (rows of at least In and padded_size values).
    template <std::size_t XLength, std::size_t YLength>
    static void forward(const T* storage, const std::array<T, XLength>* x, std::array<T, YLength>* y,
                        std::size_t samples) noexcept {
        forward_from(storage + weight_offset, storage + bias_offset, x, y, samples);
    }

    /// Inference forward for one sample from parameters kept elsewhere: `weights` the In x padded_size block
    /// (T, or bfloat16 or binary16: simd::load_weights), `bias` its padded_size values followed by the PReLU
    /// slopes, laid out as in the storage. x and y may be the same buffer.
    template <class W>
    static void forward_from(const W* weights, const T* bias, const T* x, T* y) noexcept {
        affine_from(weights, bias, x, y);
        activate_with(inference_slopes(bias), y, y);
    }

    /// z = W x + b over all padded lanes, from weights (T, bfloat16 or binary16) and a bias kept anywhere in this
    /// layer's layout.
    template <class W>
    static void affine_from(const W* weights, const T* bias, const T* x, T* z) noexcept {
        if constexpr (one_row) {
            simd::row_affine<Arch, In, padded_size>(weights, bias, x, z);
        } else {
            simd::affine<Arch, In, padded_size>(weights, bias, x, z);
        }
    }

    /// Whether the batch forward from rows of XLength values runs simd::batch_affine_activate_narrow: for one output
    /// (a binary classifier's, a regression's) after at least a register of inputs. The kernel takes up to half a
    /// register of outputs and any input, but measured on AVX2 it paid only here: 15 % less time for 2-16-16-1's
    /// batch forward, and 5 to 10 % more for 10-33-3-1's (tools/bench) with its layers of 3 and 1 outputs.
    template <std::size_t XLength>
    static constexpr bool takes_narrow_kernel = simd::is_narrow_layer<T, Arch, In, Out, XLength>&& Out == 1 &&
                                                In >= simd::width<T, Arch> && !std::is_same_v<Act, Softmax>;

    /// forward_from for `samples` samples, x[s] to y[s] (rows of at least In and padded_size values).
    template <class W, std::size_t XLength, std::size_t YLength>
    static void forward_from(const W* weights, const T* bias, const std::array<T, XLength>* x,
                             std::array<T, YLength>* y, std::size_t samples) noexcept {
        if constexpr (takes_narrow_kernel<XLength>) {
            // One output: a register's lanes hold samples instead (narrow_kernels.hpp).
            const T* slopes = inference_slopes(bias);
            simd::batch_affine_activate_narrow<Arch, In, Out, padded_size, one_row ? 1 : padded_size>(
                weights, bias, x, y, samples, [=](const vector& z, [[maybe_unused]] std::size_t o) {
                    if constexpr (learned_slope || random_slope) {
                        return Act::value(z, slopes ? vector(slopes[o]) : mean_slope());
                    } else {
                        return Act::value(z);
                    }
                });
        } else if constexpr (one_row) {
            for (std::size_t s = 0; s < samples; ++s) forward_from(weights, bias, x[s].data(), y[s].data());
        } else {
            simd::batch_affine<Arch, In, padded_size>(weights, bias, x, y, samples);
            for (std::size_t s = 0; s < samples; ++s) activate_with(inference_slopes(bias), y[s].data(), y[s].data());
        }
    }

    /// The training pass's forward for `samples` samples: c.z and c.y from the input rows x, with this step's
    /// RReLU slopes.
    template <std::size_t XLength, class Cache>
    static void forward(const T* storage, const std::array<T, XLength>* x, Cache& c, std::size_t samples) noexcept {
        if constexpr (one_row) {
            for (std::size_t s = 0; s < samples; ++s) affine(storage, x[s].data(), c.z[s].data());
        } else {
            simd::batch_affine<Arch, In, padded_size>(storage + weight_offset, storage + bias_offset, x, c.z.data(),
                                                      samples);
        }
        for (std::size_t s = 0; s < samples; ++s) {
            activate(storage, c.z[s].data(), c.y[s].data(), random_slope ? c.slope.data() : nullptr);
        }
    }

    /// Turns c.delta from dL/dy into dL/dz for the first `samples` rows, and adds the slope gradient of a
    /// PReLU layer.
    template <class Cache>
    static void activation_backward(const T* storage, T* gradients, Cache& c, std::size_t samples = 1) noexcept {
        activation_backward(storage, c, samples, [&](std::size_t o, const vector& slope_gradient) {
            T* g = gradients + slope_offset + o;
            simd::store(g, simd::load<vector>(g) + slope_gradient);
        });
    }

    /// Turns c.delta from dL/dy into dL/dz for the first `samples` rows; a PReLU layer hands its slope
    /// gradient, register by register and summed over the samples, to `on_slope_gradient(o, g)` (o: the
    /// register's first lane) after it has read the slope.
    template <class Cache, class OnSlopeGradient>
    static void activation_backward(const T* storage, Cache& c, std::size_t samples,
                                    OnSlopeGradient&& on_slope_gradient) noexcept {
        static_assert(!std::is_same_v<Act, Softmax>, "Softmax is only differentiated with its loss");
        for (std::size_t o = 0; o < padded_size; o += simd::width<T, Arch>) {
            [[maybe_unused]] vector slope_gradient(T(0));
            for (std::size_t s = 0; s < samples; ++s) {
                const vector z = simd::load<vector>(c.z[s].data() + o);
                const vector dy = simd::load<vector>(c.delta[s].data() + o);
                vector dz;
                if constexpr (learned_slope) {
                    dz = dy * Act::derivative(z, simd::load<vector>(storage + slope_offset + o));
                    slope_gradient = simd::fma(dy, Act::slope_derivative(z), slope_gradient);
                } else if constexpr (random_slope) {
                    dz = dy * Act::derivative(z, simd::load<vector>(c.slope.data() + o));
                } else {
                    dz = dy * Act::derivative(z, simd::load<vector>(c.y[s].data() + o));
                }
                simd::store(c.delta[s].data() + o, dz);
            }
            if constexpr (learned_slope) on_slope_gradient(o, slope_gradient);
        }
    }

    /// Adds one sample's dW = x delta^T and db = delta (row 0 of c.delta) to `gradients`.
    template <class Cache>
    static void accumulate_gradients(T* gradients, const T* x, const Cache& c) noexcept {
        if constexpr (one_row) {
            simd::add_scaled_row<Arch, In>(gradients + weight_offset, x, c.delta[0][0]);
        } else {
            simd::add_outer_product<Arch, In, padded_size>(gradients + weight_offset, x, c.delta[0].data());
        }
        simd::add<Arch, padded_size>(gradients + bias_offset, c.delta[0].data());
    }

    /// Adds dW = sum_s x[s] delta[s]^T and db = sum_s delta[s] over `samples` samples to `gradients`, reading
    /// and writing them once.
    template <std::size_t XLength, class Cache>
    static void accumulate_gradients(T* gradients, const std::array<T, XLength>* x, const Cache& c,
                                     std::size_t samples) noexcept {
        if constexpr (one_row) {
            for (std::size_t s = 0; s < samples; ++s) {
                simd::add_scaled_row<Arch, In>(gradients + weight_offset, x[s].data(), c.delta[s][0]);
            }
        } else {
            simd::batch_add_outer_products<Arch, In, padded_size>(gradients + weight_offset, x, c.delta.data(),
                                                                  samples);
        }
        simd::batch_add_rows<Arch, padded_size>(gradients + bias_offset, c.delta.data(), samples);
    }

    /// One sample's SGD step on the weights and bias, without materialising the gradient:
    /// W = keep W - rate x delta^T, b = keep b - rate delta (keep = 1 - rate * weight decay; delta: row 0).
    /// `Guarded`: a parameter whose new value is not finite keeps its value (simd::subtract_outer_product).
    /// Returns true when every one was updated.
    template <bool Guarded, class Cache>
    [[nodiscard]] static bool subtract_gradient(T* storage, const T* x, const Cache& c, T rate, T keep) noexcept {
        bool weights;
        if constexpr (one_row) {
            weights =
                simd::subtract_scaled_row<Arch, In, Guarded>(storage + weight_offset, x, c.delta[0][0], rate, keep);
        } else {
            weights = simd::subtract_outer_product<Arch, In, padded_size, Guarded>(storage + weight_offset, x,
                                                                                   c.delta[0].data(), rate, keep);
        }
        const bool bias =
            simd::subtract_scaled<Arch, padded_size, Guarded>(storage + bias_offset, c.delta[0].data(), rate, keep);
        return weights && bias;
    }

    /// dx[s] = W^T delta[s] for the first `samples` rows: the gradient with respect to this layer's input
    /// (In values of each row of dx; the rest of each row, the padding of a cache row below, set to zero).
    template <class Cache, std::size_t DxLength>
    static void input_gradient(const T* storage, const Cache& c, std::array<T, DxLength>* dx,
                               std::size_t samples = 1) noexcept {
        if constexpr (one_row) {
            for (std::size_t s = 0; s < samples; ++s) {
                simd::scale_row<Arch, In>(storage + weight_offset, c.delta[s][0], dx[s].data());
            }
        } else {
            simd::batch_transposed_products<Arch, In, padded_size>(storage + weight_offset, c.delta.data(), dx,
                                                                   samples);
        }
        // Lanes In.. of a row are the padding of the layer below's dL/dy: zero, so its dL/dz and gradients keep zero
        // padding. The rows are reused from step to step: a NaN or infinity that a refused step (a NaN input, whose z
        // is NaN in the padding too) left there would reach every later step's gradients.
        if constexpr (DxLength > In) {
            for (std::size_t s = 0; s < samples; ++s) std::fill(dx[s].begin() + In, dx[s].end(), T(0));
        }
    }

private:
    // In inference, PReLU's learned slopes (after the bias) and RReLU's mean slope (null).
    static const T* inference_slopes(const T* bias) noexcept {
        return learned_slope ? bias + (slope_offset - bias_offset) : nullptr;
    }

    static vector mean_slope() noexcept {
        if constexpr (random_slope) {
            return simd::ratio_value<vector, typename Act::mean_slope>();
        } else {
            return vector(T(0));
        }
    }
};

}  // namespace ctnn::detail
