#pragma once

// What forward_bench.cpp and backward_bench.cpp share: the topologies, the seeded parameters
// and data every implementation receives, the cross-check against the plain baseline, and
// the counters (samples/s, time/sample, GFLOP/s, peak%).
//
// Every implementation a benchmark is templated on ("Net") offers the same small interface:
//   input_type, output_type, parameter_count, write_parameters(span of canonical parameters)
//   and output_type forward(const input_type&) const,
// and is named by a ctnn_bench::Topology through topology_of_t<Net>.

#include <ctnn/ctnn.hpp>

#include "peak_fma.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn_bench {

/// A multilayer perceptron's shape: layer widths `Sizes` (input first), every hidden layer
/// with activation `Hidden` (ctnn::Tanh or ctnn::ReLU, used here as a tag), a linear output
/// trained with the mean squared error.
template <class Hidden, std::size_t... Sizes>
struct Topology {
    static_assert(sizeof...(Sizes) >= 2, "a topology needs an input and at least one layer");
    using hidden = Hidden;
    static constexpr std::array<std::size_t, sizeof...(Sizes)> sizes{Sizes...};
    static constexpr std::size_t layer_count = sizeof...(Sizes) - 1;
    static constexpr std::size_t input_size = sizes.front();
    static constexpr std::size_t output_size = sizes.back();

    /// Multiply-adds of one forward pass (weights only; biases and activations not counted).
    static constexpr std::size_t macs = [] {
        std::size_t sum = 0;
        for (std::size_t l = 0; l < layer_count; ++l) sum += sizes[l] * sizes[l + 1];
        return sum;
    }();
    /// Multiply-adds of one sample's training step: forward, dW += x dz^T, and dx = W^T dz for
    /// every layer but the first (nobody asks for the input's gradient).
    static constexpr std::size_t training_macs = 3 * macs - sizes[0] * sizes[1];
    static constexpr std::size_t parameter_count = [] {
        std::size_t sum = 0;
        for (std::size_t l = 0; l < layer_count; ++l) sum += sizes[l] * sizes[l + 1] + sizes[l + 1];
        return sum;
    }();

    /// "2-16-16-1".
    static std::string name() {
        std::string s;
        for (std::size_t w : sizes) s += (s.empty() ? "" : "-") + std::to_string(w);
        return s;
    }
};

// ---- mapping implementations to their topology ----------------------------------------

template <class Net>
struct topology_of {
    using type = typename Net::topology;  // the baselines say it themselves
};

template <class Arch, class T, std::size_t In, class First, class... Rest>
struct topology_of<ctnn::BasicNetwork<Arch, T, ctnn::Input<In>, First, Rest...>> {
    using type = Topology<typename First::activation, In, First::units, Rest::units...>;
};

template <class Net>
using topology_of_t = typename topology_of<Net>::type;

template <class Net>
inline constexpr bool is_ctnn_network = false;
template <class Arch, class T, class... Specs>
inline constexpr bool is_ctnn_network<ctnn::BasicNetwork<Arch, T, Specs...>> = true;

/// The same network with the kernels of `Arch` (e.g. ctnn::simd::scalar_arch).
template <class Net, class Arch>
struct with_arch;
template <class Old, class T, class... Specs, class Arch>
struct with_arch<ctnn::BasicNetwork<Old, T, Specs...>, Arch> {
    using type = ctnn::BasicNetwork<Arch, T, Specs...>;
};
template <class Net, class Arch>
using with_arch_t = typename with_arch<Net, Arch>::type;

// ---- seeded parameters and data -------------------------------------------------------

inline constexpr std::uint64_t parameter_seed = 20261125;
inline constexpr std::uint64_t data_seed = 7;
/// Samples per backward() call, and the size of the forward benchmark's input pool.
inline constexpr std::size_t batch_size = 32;

/// Glorot-uniform weights and small biases, in the canonical order (per layer the weight as
/// [out][in] row-major, then the bias), the same for every implementation.
template <class Topo>
std::vector<float> make_parameters() {
    ctnn::Random random(parameter_seed);
    std::vector<float> p;
    p.reserve(Topo::parameter_count);
    for (std::size_t l = 0; l < Topo::layer_count; ++l) {
        const std::size_t in = Topo::sizes[l], out = Topo::sizes[l + 1];
        const float r = std::sqrt(6.0f / static_cast<float>(in + out));
        for (std::size_t k = 0; k < in * out; ++k) p.push_back(random.uniform<float>(-r, r));
        for (std::size_t k = 0; k < out; ++k) p.push_back(random.uniform<float>(-0.1f, 0.1f));
    }
    return p;
}

template <class Topo>
struct Batch {
    std::vector<std::array<float, Topo::input_size>> inputs;
    std::vector<std::array<float, Topo::output_size>> targets;
};

/// `batch_size` inputs and targets, uniform in [-1, 1).
template <class Topo>
Batch<Topo> make_batch() {
    ctnn::Random random(data_seed);
    Batch<Topo> batch;
    batch.inputs.resize(batch_size);
    batch.targets.resize(batch_size);
    for (auto& x : batch.inputs) {
        for (float& v : x) v = random.uniform<float>(-1.0f, 1.0f);
    }
    for (auto& t : batch.targets) {
        for (float& v : t) v = random.uniform<float>(-1.0f, 1.0f);
    }
    return batch;
}

/// A `Net` on the heap (the big ones are hundreds of KB) holding make_parameters().
template <class Net>
std::unique_ptr<Net> make_network() {
    using Topo = topology_of_t<Net>;
    static_assert(Net::parameter_count == Topo::parameter_count, "the network does not match its topology");
    auto net = std::make_unique<Net>();
    const std::vector<float> p = make_parameters<Topo>();
    net->write_parameters(std::span<const float, Net::parameter_count>(p.data(), Net::parameter_count));
    return net;
}

/// True when every value of `got` is within float rounding of `want`, relative to the
/// largest magnitude in `want`.
inline bool close(std::span<const float> got, std::span<const float> want) {
    float scale = 0;
    for (float w : want) scale = std::max(scale, std::fabs(w));
    for (std::size_t k = 0; k < want.size(); ++k) {
        if (!(std::fabs(got[k] - want[k]) <= 1e-3f * scale + 1e-6f)) return false;
    }
    return true;
}

/// Benchmarks whose results differed from the plain baseline; main() fails when any did,
/// so the CTest smoke test (bench.*) catches a wrong result, not only a crash.
inline int failures = 0;

/// Marks the benchmark as failed: a wrong result is not worth timing.
inline void fail(benchmark::State& state, const char* what) {
    ++failures;
    state.SkipWithError(what);
}

/// BENCHMARK_MAIN()'s body, but the exit status is 1 when a result was wrong.
inline int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return failures == 0 ? 0 : 1;
}

// ---- counters -------------------------------------------------------------------------

/// Sets samples/s, time/sample (in seconds; the console prints it as e.g. "1.2us"), GFLOP/s
/// (2 FLOP per weight multiply-add) and, where the peak was measured, peak% (GFLOP/s as a
/// percentage of peak_gflops()). Google Benchmark 1.7.1 prints every rate counter with a
/// trailing "/s", so the console shows "GFLOP/s=10.5/s" and "peak%=31.2/s": read 10.5 and 31.2.
inline void set_counters(benchmark::State& state, std::size_t samples_per_iteration, std::size_t macs_per_sample) {
    using benchmark::Counter;
    const double samples = static_cast<double>(state.iterations()) * static_cast<double>(samples_per_iteration);
    const double gflop = samples * 2.0 * static_cast<double>(macs_per_sample) * 1e-9;
    state.counters["samples/s"] = Counter(samples, Counter::kIsRate);
    state.counters["time/sample"] = Counter(samples, Counter::kIsRate | Counter::kInvert);
    state.counters["GFLOP/s"] = Counter(gflop, Counter::kIsRate);
    if (const double peak = peak_gflops(); peak > 0) {
        state.counters["peak%"] = Counter(gflop * 100.0 / peak, Counter::kIsRate);
    }
}

}  // namespace ctnn_bench
