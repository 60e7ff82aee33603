#pragma once

// An independent oracle: a plain, loop-based multilayer perceptron in long double, with
// every activation and loss written from its textbook formula. It shares nothing with
// ctnn's kernels but the canonical parameter order, which it reads through
// read_parameters(): per layer the weight as [out][in] row-major, the bias, PReLU slopes.

#include <ctnn/ctnn.hpp>

#include <cmath>
#include <cstddef>
#include <ratio>
#include <span>
#include <vector>

namespace ctnn_test {

using real = long double;

enum class Kind { linear, sigmoid, tanh, relu, softplus, leaky, elu, swish, prelu, rrelu, abs, step, softmax };
// mse: ctnn::MeanSquaredError, 1/2 sum_k; mse_mean: torch.nn.MSELoss, the mean over the outputs (and the batch).
enum class LossKind { mse, mse_mean, bce, cce };

struct ActivationSpec {
    Kind kind;
    real parameter = 0;  // leaky/rrelu mean slope, elu alpha, swish beta
};

template <class R>
real ratio_of() {
    return static_cast<real>(R::num) / static_cast<real>(R::den);
}

template <class A>
struct spec_of;
template <>
struct spec_of<ctnn::Linear> {
    static ActivationSpec get() { return {Kind::linear}; }
};
template <>
struct spec_of<ctnn::Sigmoid> {
    static ActivationSpec get() { return {Kind::sigmoid}; }
};
template <>
struct spec_of<ctnn::Tanh> {
    static ActivationSpec get() { return {Kind::tanh}; }
};
template <>
struct spec_of<ctnn::ReLU> {
    static ActivationSpec get() { return {Kind::relu}; }
};
template <>
struct spec_of<ctnn::Softplus> {
    static ActivationSpec get() { return {Kind::softplus}; }
};
template <>
struct spec_of<ctnn::Abs> {
    static ActivationSpec get() { return {Kind::abs}; }
};
template <>
struct spec_of<ctnn::BinaryStep> {
    static ActivationSpec get() { return {Kind::step}; }
};
template <>
struct spec_of<ctnn::Softmax> {
    static ActivationSpec get() { return {Kind::softmax}; }
};
template <class R>
struct spec_of<ctnn::BasicLeakyReLU<R>> {
    static ActivationSpec get() { return {Kind::leaky, ratio_of<R>()}; }
};
template <class R>
struct spec_of<ctnn::BasicELU<R>> {
    static ActivationSpec get() { return {Kind::elu, ratio_of<R>()}; }
};
template <class R>
struct spec_of<ctnn::BasicSwish<R>> {
    static ActivationSpec get() { return {Kind::swish, ratio_of<R>()}; }
};
template <class R>
struct spec_of<ctnn::BasicPReLU<R>> {
    static ActivationSpec get() { return {Kind::prelu}; }
};
template <class L, class U>
struct spec_of<ctnn::BasicRReLU<L, U>> {
    static ActivationSpec get() { return {Kind::rrelu, (ratio_of<L>() + ratio_of<U>()) / 2}; }
};

struct ReferenceLayer {
    std::size_t in;
    std::size_t out;
    ActivationSpec activation;
    std::vector<real> rrelu_slopes;  // per unit; empty: the mean slope
};

class ReferenceMlp {
public:
    std::vector<ReferenceLayer> layers;
    std::vector<real> parameters;  // canonical order

    /// The output for one input; with `hidden_z`, also appends there the pre-activations of every layer but the
    /// last.
    std::vector<real> forward(std::span<const real> x, std::vector<real>* hidden_z = nullptr) const {
        std::vector<real> a(x.begin(), x.end());
        std::size_t p = 0;
        for (const auto& layer : layers) {
            const real* w = &parameters[p];
            const real* b = w + layer.in * layer.out;
            const real* slope = b + layer.out;
            std::vector<real> z(layer.out);
            for (std::size_t o = 0; o < layer.out; ++o) {
                real sum = b[o];
                for (std::size_t i = 0; i < layer.in; ++i) sum += w[o * layer.in + i] * a[i];
                z[o] = sum;
            }
            if (hidden_z != nullptr && &layer != &layers.back()) hidden_z->insert(hidden_z->end(), z.begin(), z.end());
            a = activate(layer, z, slope);
            p += layer.in * layer.out + layer.out + (layer.activation.kind == Kind::prelu ? layer.out : 0);
        }
        return a;
    }

    /// The loss of one sample.
    real loss(LossKind kind, std::span<const real> x, std::span<const real> t) const {
        const std::vector<real> y = forward(x);
        real sum = 0;
        for (std::size_t k = 0; k < y.size(); ++k) {
            switch (kind) {
                case LossKind::mse:
                    sum += (y[k] - t[k]) * (y[k] - t[k]) / 2;
                    break;
                case LossKind::mse_mean:
                    sum += (y[k] - t[k]) * (y[k] - t[k]) / static_cast<real>(y.size());
                    break;
                case LossKind::bce:
                    sum -= t[k] * std::log(y[k]) + (1 - t[k]) * std::log(1 - y[k]);
                    break;
                case LossKind::cce:
                    sum -= t[k] * std::log(y[k]);
                    break;
            }
        }
        return sum;
    }

    /// The mean loss over a batch given as flat rows.
    real mean_loss(LossKind kind, const std::vector<std::vector<real>>& xs,
                   const std::vector<std::vector<real>>& ts) const {
        real sum = 0;
        for (std::size_t s = 0; s < xs.size(); ++s) sum += loss(kind, xs[s], ts[s]);
        return sum / static_cast<real>(xs.size());
    }

private:
    static std::vector<real> activate(const ReferenceLayer& layer, const std::vector<real>& z, const real* slope) {
        std::vector<real> y(z.size());
        if (layer.activation.kind == Kind::softmax) {
            real top = z[0];
            for (real v : z) top = std::max(top, v);
            real sum = 0;
            for (std::size_t k = 0; k < z.size(); ++k) sum += std::exp(z[k] - top);
            for (std::size_t k = 0; k < z.size(); ++k) y[k] = std::exp(z[k] - top) / sum;
            return y;
        }
        const real c = layer.activation.parameter;
        for (std::size_t k = 0; k < z.size(); ++k) {
            const real v = z[k];
            switch (layer.activation.kind) {
                case Kind::linear:
                    y[k] = v;
                    break;
                case Kind::sigmoid:
                    y[k] = 1 / (1 + std::exp(-v));
                    break;
                case Kind::tanh:
                    y[k] = std::tanh(v);
                    break;
                case Kind::relu:
                    y[k] = v > 0 ? v : 0;
                    break;
                case Kind::softplus:
                    y[k] = std::log(1 + std::exp(v));
                    break;
                case Kind::leaky:
                    y[k] = v >= 0 ? v : c * v;
                    break;
                case Kind::elu:
                    y[k] = v > 0 ? v : c * (std::exp(v) - 1);
                    break;
                case Kind::swish:
                    y[k] = v / (1 + std::exp(-c * v));
                    break;
                case Kind::prelu:
                    y[k] = v >= 0 ? v : slope[k] * v;
                    break;
                case Kind::rrelu:
                    y[k] = v >= 0 ? v : (layer.rrelu_slopes.empty() ? c : layer.rrelu_slopes[k]) * v;
                    break;
                case Kind::abs:
                    y[k] = std::fabs(v);
                    break;
                case Kind::step:
                    y[k] = v >= 0 ? 1 : 0;
                    break;
                case Kind::softmax:
                    break;
            }
        }
        return y;
    }
};

template <class Loss>
constexpr LossKind loss_kind() {
    if constexpr (std::is_same_v<Loss, ctnn::MeanSquaredError>) {
        return LossKind::mse;
    } else if constexpr (std::is_same_v<Loss, ctnn::MSELoss>) {
        return LossKind::mse_mean;
    } else if constexpr (std::is_same_v<Loss, ctnn::BinaryCrossEntropy>) {
        return LossKind::bce;
    } else {
        return LossKind::cce;
    }
}

/// The reference twin of `net`: same topology, same parameters. With a workspace, RReLU
/// layers take that workspace's current slopes (training mode); without, the mean slope.
template <class Net>
ReferenceMlp reference_of(const Net& net, const ctnn::Workspace<Net>* workspace = nullptr) {
    ReferenceMlp mlp;
    std::vector<typename Net::value_type> p(Net::parameter_count);
    net.read_parameters(std::span<typename Net::value_type, Net::parameter_count>(p.data(), p.size()));
    mlp.parameters.assign(p.begin(), p.end());
    using layers = typename Net::layers;
    ctnn::detail::static_for<layers::size>([&](auto i) {
        using L = typename layers::template at<i>;
        ReferenceLayer layer{L::input_size, L::output_size, spec_of<typename L::activation>::get(), {}};
        if constexpr (L::random_slope) {
            if (workspace) {
                const auto& slope = workspace->template layer<i>().slope;
                layer.rrelu_slopes.assign(slope.begin(), slope.begin() + L::output_size);
            }
        }
        mlp.layers.push_back(layer);
    });
    return mlp;
}

}  // namespace ctnn_test
