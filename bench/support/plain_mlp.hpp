#pragma once

// The plain baseline, and the reference every benchmark checks against: the multilayer
// perceptron anyone would write first. Parameters in one flat array in the canonical order
// (per layer W as [out][in] row-major, then the bias), forward as one dot product per
// output, std::tanh, a compare for ReLU, 1 / (1 + e^-z) and a max-shifted softmax; training
// per sample with the textbook algorithm (forward keeping z and y, output delta y - t
// scaled by 1/batch, dW += delta x^T, db += delta, dx = W^T delta times the activation's
// derivative), then w -= eta dW. Straightforward loops with compile-time bounds, no
// intrinsics: whatever SIMD it gets is the compiler's auto-vectorisation (the dot products
// stay scalar, since reassociating a float sum needs -ffast-math).

#include <ctnn/activation/identity.hpp>
#include <ctnn/activation/relu.hpp>
#include <ctnn/activation/sigmoid.hpp>
#include <ctnn/activation/softmax.hpp>
#include <ctnn/activation/tanh.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

namespace ctnn_bench {

template <class Topo>
class PlainMlp {
    using Hidden = typename Topo::hidden;
    using Output = typename Topo::output;
    static_assert(std::is_same_v<Hidden, ctnn::Tanh> || std::is_same_v<Hidden, ctnn::ReLU>,
                  "PlainMlp: hidden layers are Tanh or ReLU");
    static_assert(std::is_same_v<Output, ctnn::Linear> || std::is_same_v<Output, ctnn::Sigmoid> ||
                      std::is_same_v<Output, ctnn::Softmax>,
                  "PlainMlp: the output is Linear, Sigmoid or Softmax");
    static constexpr std::size_t layer_count = Topo::layer_count;
    template <std::size_t L>
    static constexpr std::size_t in = Topo::sizes[L];
    template <std::size_t L>
    static constexpr std::size_t out = Topo::sizes[L + 1];

    /// Where layer L's weights start in the parameters.
    template <std::size_t L>
    static constexpr std::size_t weight_offset = [] {
        std::size_t s = 0;
        for (std::size_t k = 0; k < L; ++k) s += Topo::sizes[k] * Topo::sizes[k + 1] + Topo::sizes[k + 1];
        return s;
    }();
    /// Where layer L's units start in the training buffers.
    template <std::size_t L>
    static constexpr std::size_t unit_offset = [] {
        std::size_t s = 0;
        for (std::size_t k = 0; k < L; ++k) s += Topo::sizes[k + 1];
        return s;
    }();
    static constexpr std::size_t unit_count = unit_offset<layer_count>;
    static constexpr std::size_t max_width = *std::max_element(Topo::sizes.begin() + 1, Topo::sizes.end());

public:
    using topology = Topo;
    static constexpr std::size_t input_size = Topo::input_size;
    static constexpr std::size_t output_size = Topo::output_size;
    static constexpr std::size_t parameter_count = Topo::parameter_count;
    using input_type = std::array<float, input_size>;
    using output_type = std::array<float, output_size>;

    /// Gradients in the canonical order, like the parameters.
    struct gradients_type {
        std::array<float, parameter_count> values{};
        void read(std::span<float, parameter_count> out) const noexcept {
            std::copy(values.begin(), values.end(), out.begin());
        }
    };

    void write_parameters(std::span<const float, parameter_count> p) noexcept {
        std::copy(p.begin(), p.end(), p_.begin());
    }
    void read_parameters(std::span<float, parameter_count> p) const noexcept {
        std::copy(p_.begin(), p_.end(), p.begin());
    }

    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        std::array<float, max_width> buffers[2];
        const float* in_ptr = x.data();
        const auto forward_layers = [&]<std::size_t... L>(std::index_sequence<L...>) {
            ((affine<L>(in_ptr, buffers[L % 2].data()), activate<L>(buffers[L % 2].data()),
              in_ptr = buffers[L % 2].data()),
             ...);
        };
        forward_layers(std::make_index_sequence<layer_count>{});
        output_type y;
        std::copy(in_ptr, in_ptr + output_size, y.begin());
        return y;
    }

    void forward(std::span<const input_type> inputs, std::span<output_type> outputs) const noexcept {
        for (std::size_t s = 0; s < inputs.size(); ++s) outputs[s] = forward(inputs[s]);
    }

    /// The mean loss over the batch; overwrites `g` with its gradient.
    float backward(std::span<const input_type> inputs, std::span<const output_type> targets,
                   gradients_type& g) const noexcept {
        g.values.fill(0.0f);
        const float scale = 1.0f / static_cast<float>(inputs.size());
        float loss = 0;
        Cache c;
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            const float* x = inputs[s].data();
            const float* t = targets[s].data();
            // Forward, keeping every layer's z and y.
            const auto forward_layers = [&]<std::size_t... L>(std::index_sequence<L...>) {
                ((affine<L>(layer_input<L>(x, c), c.z.data() + unit_offset<L>),
                  std::copy_n(c.z.data() + unit_offset<L>, out<L>, c.y.data() + unit_offset<L>),
                  activate<L>(c.y.data() + unit_offset<L>)),
                 ...);
            };
            forward_layers(std::make_index_sequence<layer_count>{});
            // Output layer: the loss, and delta = scale (y sum(t) - t), which is scale (y - t)
            // for MSE, for sigmoids and for a softmax with targets that sum to 1.
            constexpr std::size_t last = layer_count - 1;
            float* delta = c.delta.data() + unit_offset<last>;
            const float* z = c.z.data() + unit_offset<last>;
            const float* y = c.y.data() + unit_offset<last>;
            loss += sample_loss(z, y, t);
            float mass = 1;
            if constexpr (std::is_same_v<Output, ctnn::Softmax>) {
                mass = 0;
                for (std::size_t k = 0; k < output_size; ++k) mass += t[k];
            }
            for (std::size_t k = 0; k < output_size; ++k) delta[k] = scale * (y[k] * mass - t[k]);
            // Backward, last layer first.
            const auto backward_layers = [&]<std::size_t... K>(std::index_sequence<K...>) {
                (backward_layer<last - K>(x, c, g.values.data()), ...);
            };
            backward_layers(std::make_index_sequence<layer_count>{});
        }
        return loss * scale;
    }

    /// One SGD step on the batch: backward(), then w -= learning_rate * gradient. Returns the
    /// mean loss before the update.
    float sgd_step(std::span<const input_type> inputs, std::span<const output_type> targets, float learning_rate,
                   gradients_type& g) noexcept {
        const float loss = backward(inputs, targets, g);
        for (std::size_t k = 0; k < parameter_count; ++k) p_[k] -= learning_rate * g.values[k];
        return loss;
    }

private:
    struct Cache {
        std::array<float, unit_count> z, y, delta;
    };

    static constexpr bool is_output(std::size_t l) { return l + 1 == layer_count; }

    /// Layer L's input: the sample for the first layer, the previous layer's y otherwise.
    template <std::size_t L>
    static const float* layer_input(const float* x, const Cache& c) noexcept {
        if constexpr (L == 0) {
            return x;
        } else {
            return c.y.data() + unit_offset<L - 1>;
        }
    }

    /// z = W x + b: one dot product per output.
    template <std::size_t L>
    void affine(const float* x, float* z) const noexcept {
        const float* w = p_.data() + weight_offset<L>;
        const float* b = w + in<L> * out<L>;
        for (std::size_t o = 0; o < out<L>; ++o) {
            float sum = b[o];
            for (std::size_t i = 0; i < in<L>; ++i) sum += w[o * in<L> + i] * x[i];
            z[o] = sum;
        }
    }

    /// y = f(z) in place.
    template <std::size_t L>
    static void activate(float* v) noexcept {
        if constexpr (!is_output(L)) {
            for (std::size_t o = 0; o < out<L>; ++o) {
                if constexpr (std::is_same_v<Hidden, ctnn::Tanh>) {
                    v[o] = std::tanh(v[o]);
                } else {
                    v[o] = v[o] > 0.0f ? v[o] : 0.0f;
                }
            }
        } else if constexpr (std::is_same_v<Output, ctnn::Sigmoid>) {
            for (std::size_t o = 0; o < out<L>; ++o) v[o] = 1.0f / (1.0f + std::exp(-v[o]));
        } else if constexpr (std::is_same_v<Output, ctnn::Softmax>) {
            const float top = *std::max_element(v, v + out<L>);
            float sum = 0;
            for (std::size_t o = 0; o < out<L>; ++o) sum += (v[o] = std::exp(v[o] - top));
            for (std::size_t o = 0; o < out<L>; ++o) v[o] /= sum;
        }
    }

    /// One sample's loss from the output layer's z and y: 1/2 |y - t|^2 (Linear),
    /// sum softplus(z) - t z (Sigmoid), sum t (logsumexp(z) - z) (Softmax).
    static float sample_loss(const float* z, const float* y, const float* t) noexcept {
        float sum = 0;
        if constexpr (std::is_same_v<Output, ctnn::Linear>) {
            for (std::size_t k = 0; k < output_size; ++k) sum += 0.5f * (y[k] - t[k]) * (y[k] - t[k]);
        } else if constexpr (std::is_same_v<Output, ctnn::Sigmoid>) {
            for (std::size_t k = 0; k < output_size; ++k) {
                sum += std::max(z[k], 0.0f) + std::log1p(std::exp(-std::fabs(z[k]))) - t[k] * z[k];
            }
        } else {
            const float top = *std::max_element(z, z + output_size);
            float e = 0;
            for (std::size_t k = 0; k < output_size; ++k) e += std::exp(z[k] - top);
            const float lse = top + std::log(e);
            for (std::size_t k = 0; k < output_size; ++k) sum += t[k] * (lse - z[k]);
        }
        return sum;
    }

    /// f'(z) of a hidden layer from z and y = f(z); ReLU's is 1 at 0, as in ctnn.
    static float derivative(float z, float y) noexcept {
        if constexpr (std::is_same_v<Hidden, ctnn::Tanh>) {
            return 1.0f - y * y;
        } else {
            return z >= 0.0f ? 1.0f : 0.0f;
        }
    }

    /// Layer L's share of one sample's gradient; its delta holds dL/dz on entry. For L > 0,
    /// also sets layer L - 1's delta.
    template <std::size_t L>
    void backward_layer(const float* input, Cache& c, float* g) const noexcept {
        const float* x = layer_input<L>(input, c);
        const float* delta = c.delta.data() + unit_offset<L>;
        float* dw = g + weight_offset<L>;
        float* db = dw + in<L> * out<L>;
        for (std::size_t o = 0; o < out<L>; ++o) {
            for (std::size_t i = 0; i < in<L>; ++i) dw[o * in<L> + i] += delta[o] * x[i];
            db[o] += delta[o];
        }
        if constexpr (L > 0) {
            const float* w = p_.data() + weight_offset<L>;
            float* below = c.delta.data() + unit_offset<L - 1>;
            std::fill_n(below, in<L>, 0.0f);
            for (std::size_t o = 0; o < out<L>; ++o) {
                for (std::size_t i = 0; i < in<L>; ++i) below[i] += w[o * in<L> + i] * delta[o];
            }
            const float* z = c.z.data() + unit_offset<L - 1>;
            const float* y = c.y.data() + unit_offset<L - 1>;
            for (std::size_t i = 0; i < in<L>; ++i) below[i] *= derivative(z[i], y[i]);
        }
    }

    std::array<float, parameter_count> p_{};
};

}  // namespace ctnn_bench
