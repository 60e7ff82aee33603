#pragma once

// The four networks every benchmark runs, spelled as a user would. Hidden layers are Tanh or
// ReLU; every output layer is Linear, trained with the mean squared error, so that all the
// implementations compute exactly the same function and gradient.

#include <ctnn/ctnn.hpp>

#include "common.hpp"
#include "eigen_mlp.hpp"
#include "plain_mlp.hpp"

namespace ctnn_bench {

/// A tiny regression net (RTNeural's size class): 304 multiply-adds.
using Net_2_16_16_1 = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<16, ctnn::Tanh>, ctnn::Dense<16, ctnn::Tanh>,
                                    ctnn::Dense<1, ctnn::Linear>>;
/// A small classifier-shaped net: 2,368 multiply-adds.
using Net_64_32_10 = ctnn::Network<float, ctnn::Input<64>, ctnn::Dense<32, ctnn::ReLU>, ctnn::Dense<10, ctnn::Linear>>;
/// MNIST-sized: 109,184 multiply-adds, 109,386 parameters (437 KB), weights mostly from L2.
using Net_784_128_64_10 = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>,
                                        ctnn::Dense<64, ctnn::ReLU>, ctnn::Dense<10, ctnn::Linear>>;
/// Medium, Tanh-heavy: 5,376 multiply-adds, 128 tanh per sample.
using Net_16_64_64_4 = ctnn::Network<float, ctnn::Input<16>, ctnn::Dense<64, ctnn::Tanh>, ctnn::Dense<64, ctnn::Tanh>,
                                     ctnn::Dense<4, ctnn::Linear>>;

/// The same network with ctnn's scalar kernels (what a target without SIMD runs).
template <class Net>
using Scalar = with_arch_t<Net, ctnn::simd::scalar_arch>;
/// The plain-loop baseline of the same topology.
template <class Net>
using Plain = PlainMlp<topology_of_t<Net>>;
#if CTNN_BENCH_EIGEN
/// The Eigen fixed-size baseline of the same topology.
template <class Net>
using EigenBaseline = EigenMlp<topology_of_t<Net>>;
#endif

}  // namespace ctnn_bench
