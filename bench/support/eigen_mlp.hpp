#pragma once

// The Eigen baseline, when Eigen is installed (libeigen3-dev; optional, benchmarks only):
// a fixed-size MLP, one Eigen::Matrix<float, Out, In> (Eigen's default column-major, so
// the same input-major layout as ctnn) and Matrix<float, Out, 1> bias per layer.
// Forward is z = W x + b then .array().tanh() or .cwiseMax(0); backward is the same
// per-sample algorithm as ctnn::backward, written with Eigen expressions (dW += delta x^T,
// dx = W^T delta). CTNN_BENCH_EIGEN is 1 when it is available, 0 otherwise; define
// CTNN_BENCH_NO_EIGEN to leave it out (to time the build without it, for example).

#if !defined(CTNN_BENCH_NO_EIGEN) && (__has_include(<Eigen/Dense>) || __has_include(<eigen3/Eigen/Dense>))
#define CTNN_BENCH_EIGEN 1
#else
#define CTNN_BENCH_EIGEN 0
#endif

#if CTNN_BENCH_EIGEN

// The big layers (784 x 128 floats) are fixed-size objects larger than Eigen's 128 KB stack
// limit; they live on the heap here, so switch the check off.
#ifndef EIGEN_STACK_ALLOCATION_LIMIT
#define EIGEN_STACK_ALLOCATION_LIMIT 0
#endif

#include <ctnn/activation/relu.hpp>
#include <ctnn/activation/tanh.hpp>

// Debian installs Eigen in /usr/include/eigen3, which CMake builds do not search unless told;
// Eigen's own includes are relative, so the longer path works as well.
#if __has_include(<Eigen/Dense>)
#include <Eigen/Dense>
#else
#include <eigen3/Eigen/Dense>
#endif

#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>

namespace ctnn_bench {

template <class Topo>
class EigenMlp {
    static_assert(std::is_same_v<typename Topo::hidden, ctnn::Tanh> ||
                      std::is_same_v<typename Topo::hidden, ctnn::ReLU>,
                  "EigenMlp: hidden layers are Tanh or ReLU");
    static constexpr std::size_t layer_count = Topo::layer_count;
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
    template <template <std::size_t> class Of, class Seq = std::make_index_sequence<layer_count>>
    struct per_layer;
    template <template <std::size_t> class Of, std::size_t... L>
    struct per_layer<Of, std::index_sequence<L...>> {
        using type = std::tuple<Of<L>...>;
    };
    using Layers = typename per_layer<Dense>::type;
    using Caches = typename per_layer<Cache>::type;

public:
    using topology = Topo;
    static constexpr std::size_t input_size = Topo::input_size;
    static constexpr std::size_t output_size = Topo::output_size;
    static constexpr std::size_t parameter_count = Topo::parameter_count;
    using input_type = std::array<float, input_size>;
    using output_type = std::array<float, output_size>;

    struct gradients_type {
        Layers layers;
        void clear() noexcept {
            std::apply([](auto&... d) { ((d.w.setZero(), d.b.setZero()), ...); }, layers);
        }
        void read(std::span<float, parameter_count> out) const noexcept { copy_out(layers, out.data()); }
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

    [[nodiscard]] output_type forward(const input_type& x) const noexcept {
        output_type y;
        forward_from<0>(Eigen::Map<const Eigen::Matrix<float, in<0>, 1>>(x.data()), y.data());
        return y;
    }

    /// The mean of 1/2 |y - t|^2 over the batch; overwrites `g` with its gradient.
    float backward(std::span<const input_type> inputs, std::span<const output_type> targets,
                   gradients_type& g) const noexcept {
        constexpr std::size_t last = layer_count - 1;
        g.clear();
        const float scale = 1.0f / static_cast<float>(inputs.size());
        float loss = 0;
        Caches caches;
        for (std::size_t s = 0; s < inputs.size(); ++s) {
            const Eigen::Map<const Eigen::Matrix<float, in<0>, 1>> x(inputs[s].data());
            const Eigen::Map<const Eigen::Matrix<float, out<last>, 1>> t(targets[s].data());
            train_forward<0>(x, caches);
            auto& top = std::get<last>(caches);
            loss += 0.5f * (top.y - t).squaredNorm();
            top.delta = scale * (top.y - t);
            const auto backward_layers = [&]<std::size_t... K>(std::index_sequence<K...>) {
                (backward_layer<last - K>(x, caches, g), ...);
            };
            backward_layers(std::make_index_sequence<layer_count>{});
        }
        return loss * scale;
    }

private:
    static constexpr bool is_output(std::size_t l) { return l + 1 == layer_count; }

    template <std::size_t L, class Z>
    static auto activate(const Z& z) {
        if constexpr (is_output(L)) {
            return z;
        } else if constexpr (std::is_same_v<typename Topo::hidden, ctnn::Tanh>) {
            return z.array().tanh().matrix();
        } else {
            return z.cwiseMax(0.0f);
        }
    }

    template <std::size_t L, class X>
    void forward_from(const X& x, float* result) const noexcept {
        const auto& d = std::get<L>(layers_);
        Eigen::Matrix<float, out<L>, 1> z;
        z.noalias() = d.w * x;
        z += d.b;
        const Eigen::Matrix<float, out<L>, 1> y = activate<L>(z);
        if constexpr (is_output(L)) {
            Eigen::Map<Eigen::Matrix<float, out<L>, 1>> output(result);
            output = y;
        } else {
            forward_from<L + 1>(y, result);
        }
    }

    template <std::size_t L, class X>
    void train_forward(const X& x, Caches& caches) const noexcept {
        const auto& d = std::get<L>(layers_);
        auto& c = std::get<L>(caches);
        c.z.noalias() = d.w * x;
        c.z += d.b;
        c.y = activate<L>(c.z);
        if constexpr (!is_output(L)) train_forward<L + 1>(c.y, caches);
    }

    template <std::size_t L, class X>
    void backward_layer(const X& input, Caches& caches, gradients_type& g) const noexcept {
        const auto& c = std::get<L>(caches);
        auto& dl = std::get<L>(g.layers);
        if constexpr (L == 0) {
            dl.w.noalias() += c.delta * input.transpose();
        } else {
            dl.w.noalias() += c.delta * std::get<L - 1>(caches).y.transpose();
        }
        dl.b += c.delta;
        if constexpr (L > 0) {
            auto& below = std::get<L - 1>(caches);
            below.delta.noalias() = std::get<L>(layers_).w.transpose() * c.delta;
            if constexpr (std::is_same_v<typename Topo::hidden, ctnn::Tanh>) {
                below.delta.array() *= 1.0f - below.y.array().square();
            } else {
                below.delta.array() *= (below.z.array() >= 0.0f).template cast<float>();
            }
        }
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
