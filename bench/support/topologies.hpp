#pragma once

// The networks the benchmarks run, spelled as a user would, and the implementations of each.
//
// The three workloads the tables report, each trained with the loss its output pairs with:
//   2-16-16-1       Tanh, Tanh, Sigmoid output, ctnn::BinaryCrossEntropy
//   64-128-128-10   ReLU, ReLU, Softmax output, ctnn::CategoricalCrossEntropy
//   784-128-64-10   ReLU, ReLU, Softmax output, ctnn::CategoricalCrossEntropy
// and four regression networks with a linear output and the MSE ("-linear" in their names).

#include <ctnn/ctnn.hpp>

#include "common.hpp"
#include "eigen_mlp.hpp"
#include "plain_mlp.hpp"

#include <string>
#include <type_traits>

namespace ctnn_bench {

/// A tiny binary classifier (RTNeural's size class): 304 multiply-adds.
using Net_2_16_16_1 = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                                    ctnn::Dense<1, ctnn::Sigmoid>>;
/// A small classifier: 25,856 multiply-adds, 26,122 parameters (102 KB, in L2).
using Net_64_128_128_10 = ctnn::Network<float, ctnn::Input<64>, ctnn::Dense<128, ctnn::ReLU>,
                                        ctnn::Dense<128, ctnn::ReLU>, ctnn::Dense<10, ctnn::Softmax>>;
/// MNIST-sized: 109,184 multiply-adds, 109,386 parameters (437 KB, mostly from L2).
using Net_784_128_64_10 = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>,
                                        ctnn::Dense<64, ctnn::ReLU>, ctnn::Dense<10, ctnn::Softmax>>;

/// Regression nets, linear output: 304 multiply-adds.
using Linear_2_16_16_1 = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                                       ctnn::Dense<1, ctnn::Linear>>;
/// 2,368 multiply-adds.
using Linear_64_32_10 =
    ctnn::Network<float, ctnn::Input<64>, ctnn::Dense<32, ctnn::ReLU>, ctnn::Dense<10, ctnn::Linear>>;
/// 109,184 multiply-adds.
using Linear_784_128_64_10 = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>,
                                           ctnn::Dense<64, ctnn::ReLU>, ctnn::Dense<10, ctnn::Linear>>;
/// Tanh-heavy: 5,376 multiply-adds, 128 tanh per sample.
using Linear_16_64_64_4 = ctnn::Network<float, ctnn::Input<16>, ctnn::Dense<64, ctnn::Tanh>,
                                        ctnn::Dense<64, ctnn::Tanh>, ctnn::Dense<4, ctnn::Linear>>;

/// Sizes that are not whole registers (1, 3, 10, 33; the padding benchmarks): a classifier and a binary classifier.
using Odd_33_33_10_3 = ctnn::Network<float, ctnn::Input<33>, ctnn::Dense<33, ctnn::ReLU>, ctnn::Dense<10, ctnn::ReLU>,
                                     ctnn::Dense<3, ctnn::Softmax>>;
using Odd_10_33_3_1 = ctnn::Network<float, ctnn::Input<10>, ctnn::Dense<33, ctnn::Tanh>, ctnn::Dense<3, ctnn::Tanh>,
                                    ctnn::Dense<1, ctnn::Sigmoid>>;

/// The network with its input and every layer rounded up to whole registers of its architecture (33 -> 40 with 8
/// floats a register): what a network of odd sizes may cost at most, since its registers are padded to these sizes
/// anyway (tools/bench's padding table).
template <class Net>
struct rounded_up;
template <class Arch, class T, std::size_t In, class... Layers>
struct rounded_up<ctnn::BasicNetwork<Arch, T, ctnn::Input<In>, Layers...>> {
    static constexpr std::size_t round(std::size_t n) { return ctnn::simd::padded<T, Arch>(n); }
    using type = ctnn::BasicNetwork<Arch, T, ctnn::Input<round(In)>,
                                    ctnn::Dense<round(Layers::units), typename Layers::activation>...>;
};
template <class Net>
using RoundedUp = typename rounded_up<Net>::type;

/// Registers Case<Odd> for both odd networks and, where rounding changes them (not in a scalar build), Case<RoundedUp<
/// Odd>> too.
template <template <class> class Case>
void add_padding_pairs() {
    auto pair = []<class Odd>() {
        add<Case<Odd>>();
        if constexpr (!std::is_same_v<RoundedUp<Odd>, Odd>) add<Case<RoundedUp<Odd>>>();
    };
    pair.template operator()<Odd_33_33_10_3>();
    pair.template operator()<Odd_10_33_3_1>();
}

/// The same network with ctnn's scalar kernels (what a target without SIMD runs).
template <class Net>
using Scalar = with_arch_t<Net, ctnn::simd::scalar_arch>;
/// True when Scalar<Net> is another type than Net (not so in a CTNN_FORCE_SCALAR build).
template <class Net>
inline constexpr bool has_scalar_variant = !std::is_same_v<Scalar<Net>, Net>;
/// The plain-loop baseline (and reference) of the same topology.
template <class Net>
using Plain = PlainMlp<topology_of_t<Net>>;
#if CTNN_BENCH_EIGEN
/// The Eigen fixed-size baseline of the same topology.
template <class Net>
using EigenBaseline = EigenMlp<topology_of_t<Net>>;
#endif

/// The implementation's part of a benchmark name: "" for ctnn with the compile flags'
/// kernels, "/scalar_arch", "/bf16" (ctnn::BFloat16Network), "/fp16" (ctnn::Float16Network), "/plain" or
/// "/eigen".
template <class Net>
std::string implementation_suffix() {
    if constexpr (is_bfloat16_network<Net>) {
        return "/bf16";
    } else if constexpr (is_float16_network<Net>) {
        return "/fp16";
    } else if constexpr (is_ctnn_network<Net>) {
        return std::is_same_v<typename Net::arch_type, ctnn::simd::default_arch> ? "" : "/scalar_arch";
    } else if constexpr (std::is_same_v<Net, Plain<Net>>) {
        return "/plain";
    } else {
        return "/eigen";
    }
}

}  // namespace ctnn_bench
