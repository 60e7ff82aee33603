#pragma once

// The Eigen baseline, when Eigen is installed (libeigen3-dev; benchmarks only): the MLP an
// Eigen user would write by hand, with fixed-size matrices, one
// Eigen::Matrix<float, Out, In> (Eigen's default column-major, the same input-major layout
// as ctnn) and one Matrix<float, Out, 1> bias per layer.
//
// - One sample: z.noalias() = W x; z += b; then .array().tanh(), .cwiseMax(0),
//   .array().logistic() or a max-shifted softmax.
// - A batch: the samples are the columns of a matrix (Out rows, batch columns), and each
//   layer is one GEMM: Z.noalias() = W X; Z.colwise() += b; then the activation. The
//   batch's matrices are Eigen::MatrixXf, and the GEMMs see the fixed-size weights through
//   Map<MatrixXf>: Eigen runs the same GEMM kernel for fixed and dynamic sizes, and this way
//   the three networks share its code (30 s less to build batch_bench.cpp).
// - One-sample SGD step, in place: forward keeping z and y; the output delta y - t (MSE,
//   sigmoid + binary cross-entropy, softmax + categorical cross-entropy with one-hot
//   targets); then from the last layer down: delta_below = W^T delta (before W changes)
//   times f'(z_below), W.noalias() -= lr * delta * a^T, b -= lr * delta.
// - Minibatch SGD step: the same with GEMMs over the batch's columns: Delta = Y - T,
//   Delta_below = W^T Delta times f'(Z_below), then W.noalias() -= (lr / batch) * Delta A^T
//   (the gradient of the mean loss, added by the GEMM straight into W) and
//   b -= (lr / batch) * Delta's row sums.
//
// CTNN_BENCH_EIGEN is 1 when Eigen is available, 0 otherwise; define CTNN_BENCH_NO_EIGEN to
// leave it out (to time the build without it, for example).

#if !defined(CTNN_BENCH_NO_EIGEN) && (__has_include(<Eigen/Dense>) || __has_include(<eigen3/Eigen/Dense>))
#define CTNN_BENCH_EIGEN 1
#else
#define CTNN_BENCH_EIGEN 0
#endif

#if CTNN_BENCH_EIGEN

// The big layers (784 x 128 floats, 401 KB) are fixed-size types larger than Eigen's default
// 128 KB stack limit, which Eigen refuses; they live on the heap here. The limit is raised
// above them (rather than to 0, which would move every small temporary to the heap too).
#ifndef EIGEN_STACK_ALLOCATION_LIMIT
#define EIGEN_STACK_ALLOCATION_LIMIT 524288
#endif

#include <ctnn/activation/identity.hpp>
#include <ctnn/activation/relu.hpp>
#include <ctnn/activation/sigmoid.hpp>
#include <ctnn/activation/softmax.hpp>
#include <ctnn/activation/tanh.hpp>

// Debian installs Eigen in /usr/include/eigen3, which CMake builds do not search unless told;
// Eigen's own includes are relative, so the longer path works as well.
// g++ 12 at -O3 warns in Eigen's fixed-size matrix-vector products (W^T delta with W of 64 x 128
// or 128 x 128) about a loop iteration that is never reached; the warning is about Eigen's
// code, located in its headers, and silenced for them alone.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"
#endif
#if __has_include(<Eigen/Dense>)
#include <Eigen/Dense>
#else
#include <eigen3/Eigen/Dense>
#endif
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace ctnn_bench {

template <class Topo>
class EigenMlp {
    using Hidden = typename Topo::hidden;
    using Output = typename Topo::output;
    static_assert(std::is_same_v<Hidden, ctnn::Tanh> || std::is_same_v<Hidden, ctnn::ReLU>,
                  "EigenMlp: hidden layers are Tanh or ReLU");
    static_assert(std::is_same_v<Output, ctnn::Linear> || std::is_same_v<Output, ctnn::Sigmoid> ||
                      std::is_same_v<Output, ctnn::Softmax>,
                  "EigenMlp: the output is Linear, Sigmoid or Softmax");
    static constexpr std::size_t layer_count = Topo::layer_count;
    static constexpr std::size_t last = layer_count - 1;
    template <std::size_t L>
    static constexpr int in = static_cast<int>(Topo::sizes[L]);
    template <std::size_t L>
    static constexpr int out = static_cast<int>(Topo::sizes[L + 1]);

    template <std::size_t L>
    struct Dense {
        Eigen::Matrix<float, out<L>, in<L>> w;
        Eigen::Matrix<float, out<L>, 1> b;
    };
    template <std::size_t L>
    struct Cache {
        Eigen::Matrix<float, out<L>, 1> z, y, delta;
    };
    template <std::size_t L>
    struct BatchCache {
        Eigen::MatrixXf z, y, delta;  // out<L> rows, one column per sample
    };
    /// A matrix as Eigen's dynamic-size type, for the batch GEMMs (see the file comment).
    static Eigen::Map<const Eigen::MatrixXf> dynamic(const float* data, Eigen::Index rows, Eigen::Index cols) noexcept {
        return Eigen::Map<const Eigen::MatrixXf>(data, rows, cols);
    }
    template <class M>
    static Eigen::Map<const Eigen::MatrixXf> dynamic(const M& m) noexcept {
        return dynamic(m.data(), m.rows(), m.cols());
    }
    template <template <std::size_t> class Of, class Seq = std::make_index_sequence<layer_count>>
    struct per_layer;
    template <template <std::size_t> class Of, std::size_t... L>
    struct per_layer<Of, std::index_sequence<L...>> {
        using type = std::tuple<Of<L>...>;
    };
    using Layers = typename per_layer<Dense>::type;

public:
    using topology = Topo;
    static constexpr std::size_t input_size = Topo::input_size;
    static constexpr std::size_t output_size = Topo::output_size;
    static constexpr std::size_t parameter_count = Topo::parameter_count;
    using input_type = std::array<float, input_size>;
    using output_type = std::array<float, output_size>;
    static_assert(sizeof(input_type) == input_size * sizeof(float) &&
                      sizeof(output_type) == output_size * sizeof(float),
                  "a span of samples is a matrix with one sample per column");

    /// One sample's z, y and delta per layer.
    using workspace_type = typename per_layer<Cache>::type;

    /// A batch's Z, Y and delta per layer, allocated once for `columns` samples.
    struct batch_workspace_type {
        explicit batch_workspace_type(std::size_t columns) {
            const auto size = [&]<std::size_t... L>(std::index_sequence<L...>) {
                const auto n = static_cast<Eigen::Index>(columns);
                ((std::get<L>(layers).z.resize(out<L>, n), std::get<L>(layers).y.resize(out<L>, n),
                  std::get<L>(layers).delta.resize(out<L>, n)),
                 ...);
            };
            size(std::make_index_sequence<layer_count>{});
        }
        typename per_layer<BatchCache>::type layers;
    };

    void write_parameters(std::span<const float, parameter_count> p) noexcept {
        const float* v = p.data();
        std::apply(
            [&](auto&... d) {
                auto one = [&](auto& layer) {
                    for (Eigen::Index o = 0; o < layer.w.rows(); ++o) {
                        for (Eigen::Index i = 0; i < layer.w.cols(); ++i) layer.w(o, i) = *v++;
                    }
                    for (Eigen::Index o = 0; o < layer.b.rows(); ++o) layer.b(o) = *v++;
                };
                (one(d), ...);
            },
            layers_);
    }
    void read_parameters(std::span<float, parameter_count> p) const noexcept { copy_out(layers_, p.data()); }

    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        output_type y;
        forward_from<0>(Eigen::Map<const Eigen::Matrix<float, in<0>, 1>>(x.data()), y.data());
        return y;
    }

    /// The outputs for a batch: one GEMM per layer over the samples as columns.
    void forward(std::span<const input_type> inputs, std::span<output_type> outputs,
                 batch_workspace_type& ws) const noexcept {
        const auto n = static_cast<Eigen::Index>(inputs.size());
        batch_forward<0>(dynamic(inputs.data()->data(), in<0>, n), ws);
        Eigen::Map<Eigen::MatrixXf>(outputs.data()->data(), out<last>, n) = std::get<last>(ws.layers).y;
    }

    /// One SGD step on one sample, the weights updated in place during backpropagation.
    /// Returns the loss before the update.
    float sgd_step(const input_type& input, const output_type& target, float learning_rate,
                   workspace_type& ws) noexcept {
        const Eigen::Map<const Eigen::Matrix<float, in<0>, 1>> x(input.data());
        const Eigen::Map<const Eigen::Matrix<float, out<last>, 1>> t(target.data());
        train_forward<0>(x, ws);
        auto& top = std::get<last>(ws);
        const float loss = batch_loss(top.z, top.y, t);
        top.delta = top.y - t;
        const auto layers_down = [&]<std::size_t... K>(std::index_sequence<K...>) {
            (sgd_layer<last - K>(x, ws, learning_rate), ...);
        };
        layers_down(std::make_index_sequence<layer_count>{});
        return loss;
    }

    /// One SGD step on a minibatch (the gradient of the mean loss), with GEMMs over the
    /// batch. Returns the mean loss before the update.
    /// Requires: `ws` was made for inputs.size() columns.
    float minibatch_step(std::span<const input_type> inputs, std::span<const output_type> targets, float learning_rate,
                         batch_workspace_type& ws) noexcept {
        const auto n = static_cast<Eigen::Index>(inputs.size());
        const auto x = dynamic(inputs.data()->data(), in<0>, n);
        const auto t = dynamic(targets.data()->data(), out<last>, n);
        batch_forward<0>(x, ws);
        auto& top = std::get<last>(ws.layers);
        const float loss = batch_loss(top.z, top.y, t) / static_cast<float>(n);
        top.delta = top.y - t;
        const float scale = learning_rate / static_cast<float>(n);
        const auto layers_down = [&]<std::size_t... K>(std::index_sequence<K...>) {
            (minibatch_layer<last - K>(x, ws, scale), ...);
        };
        layers_down(std::make_index_sequence<layer_count>{});
        return loss;
    }

private:
    static constexpr bool is_output(std::size_t l) { return l + 1 == layer_count; }

    /// y = f(z) for one sample or a batch (a softmax per column).
    template <std::size_t L, class Z, class Y>
    static void activate(const Z& z, Y& y) {
        if constexpr (!is_output(L)) {
            if constexpr (std::is_same_v<Hidden, ctnn::Tanh>) {
                y = z.array().tanh().matrix();
            } else {
                y = z.cwiseMax(0.0f);
            }
        } else if constexpr (std::is_same_v<Output, ctnn::Sigmoid>) {
            y = z.array().logistic().matrix();
        } else if constexpr (std::is_same_v<Output, ctnn::Softmax>) {
            if constexpr (Z::ColsAtCompileTime == 1) {
                y = (z.array() - z.maxCoeff()).exp().matrix();
                y /= y.sum();
            } else {
                for (Eigen::Index j = 0; j < z.cols(); ++j) {
                    y.col(j) = (z.col(j).array() - z.col(j).maxCoeff()).exp().matrix();
                    y.col(j) /= y.col(j).sum();
                }
            }
        } else {
            y = z;
        }
    }

    /// The loss summed over the columns of z and y (one sample or a batch).
    template <class Z, class Y, class T>
    static float batch_loss(const Z& z, const Y& y, const T& t) {
        if constexpr (std::is_same_v<Output, ctnn::Linear>) {
            return 0.5f * (y - t).squaredNorm();
        } else if constexpr (std::is_same_v<Output, ctnn::Sigmoid>) {
            return (z.array().max(0.0f) + (-z.array().abs()).exp().log1p() - t.array() * z.array()).sum();
        } else {
            // sum t (logsumexp(z) - z), per column
            float sum = 0;
            for (Eigen::Index j = 0; j < z.cols(); ++j) {
                const float top = z.col(j).maxCoeff();
                const float lse = top + std::log((z.col(j).array() - top).exp().sum());
                sum += lse * t.col(j).sum() - t.col(j).dot(z.col(j));
            }
            return sum;
        }
    }

    /// f'(z) times `delta`, in place, for hidden layer L's z and y.
    template <class D, class Z, class Y>
    static void times_derivative(D& delta, const Z& z, const Y& y) {
        if constexpr (std::is_same_v<Hidden, ctnn::Tanh>) {
            delta.array() *= 1.0f - y.array().square();
        } else {
            delta.array() *= (z.array() >= 0.0f).template cast<float>();
        }
    }

    template <std::size_t L, class X>
    void forward_from(const X& x, float* result) const noexcept {
        const auto& d = std::get<L>(layers_);
        Eigen::Matrix<float, out<L>, 1> z;
        z.noalias() = d.w * x;
        z += d.b;
        if constexpr (is_output(L)) {
            Eigen::Map<Eigen::Matrix<float, out<L>, 1>> output(result);
            activate<L>(z, output);
        } else {
            Eigen::Matrix<float, out<L>, 1> y;
            activate<L>(z, y);
            forward_from<L + 1>(y, result);
        }
    }

    template <std::size_t L, class X>
    void train_forward(const X& x, workspace_type& ws) const noexcept {
        const auto& d = std::get<L>(layers_);
        auto& c = std::get<L>(ws);
        c.z.noalias() = d.w * x;
        c.z += d.b;
        activate<L>(c.z, c.y);
        if constexpr (!is_output(L)) train_forward<L + 1>(c.y, ws);
    }

    template <std::size_t L>
    void batch_forward(const Eigen::Map<const Eigen::MatrixXf>& x, batch_workspace_type& ws) const noexcept {
        const auto& d = std::get<L>(layers_);
        auto& c = std::get<L>(ws.layers);
        c.z.noalias() = dynamic(d.w) * x;
        c.z.colwise() += d.b;
        activate<L>(c.z, c.y);
        if constexpr (!is_output(L)) batch_forward<L + 1>(dynamic(c.y), ws);
    }

    /// Layer L's input: x for the first layer, the previous layer's y otherwise.
    template <std::size_t L, class X, class Caches>
    static const auto& layer_input(const X& x, const Caches& caches) noexcept {
        if constexpr (L == 0) {
            return x;
        } else {
            return std::get<L - 1>(caches).y;
        }
    }

    template <std::size_t L, class X>
    void sgd_layer(const X& x, workspace_type& ws, float learning_rate) noexcept {
        auto& d = std::get<L>(layers_);
        const auto& c = std::get<L>(ws);
        if constexpr (L > 0) {
            auto& below = std::get<L - 1>(ws);
            below.delta.noalias() = d.w.transpose() * c.delta;  // before W changes
            times_derivative(below.delta, below.z, below.y);
        }
        d.w.noalias() -= learning_rate * c.delta * layer_input<L>(x, ws).transpose();
        d.b -= learning_rate * c.delta;
    }

    template <std::size_t L>
    void minibatch_layer(const Eigen::Map<const Eigen::MatrixXf>& x, batch_workspace_type& ws, float scale) noexcept {
        auto& d = std::get<L>(layers_);
        const auto& c = std::get<L>(ws.layers);
        if constexpr (L > 0) {
            auto& below = std::get<L - 1>(ws.layers);
            below.delta.noalias() = dynamic(d.w).transpose() * c.delta;  // before W changes
            times_derivative(below.delta, below.z, below.y);
        }
        Eigen::Map<Eigen::MatrixXf>(d.w.data(), out<L>, in<L>).noalias() -=
            scale * c.delta * dynamic(layer_input<L>(x, ws.layers)).transpose();
        d.b.noalias() -= scale * c.delta.rowwise().sum();
    }

    static void copy_out(const Layers& layers, float* v) noexcept {
        std::apply(
            [&](const auto&... d) {
                auto one = [&](const auto& layer) {
                    for (Eigen::Index o = 0; o < layer.w.rows(); ++o) {
                        for (Eigen::Index i = 0; i < layer.w.cols(); ++i) *v++ = layer.w(o, i);
                    }
                    for (Eigen::Index o = 0; o < layer.b.rows(); ++o) *v++ = layer.b(o);
                };
                (one(d), ...);
            },
            layers);
    }

    Layers layers_;
};

}  // namespace ctnn_bench

#endif  // CTNN_BENCH_EIGEN
