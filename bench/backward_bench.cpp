// Training, one batch of 32 samples per call: ctnn::backward<ctnn::MeanSquaredError>(net,
// inputs, targets, gradients, workspace) (forward keeping every layer's buffers, the loss,
// backpropagation, gradients summed over the batch) against ctnn's scalar kernels, a plain
// hand-written backward and (when installed) an Eigen one, all the same algorithm, sample by
// sample, on the same topologies, parameters and data as forward_bench.cpp.
//
//   backward/<topology>               ctnn::Network<float, ...>, kernels for the compile flags
//   backward/<topology>/scalar_arch   ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ...>
//   backward/<topology>/plain         bench/support/plain_mlp.hpp
//   backward/<topology>/eigen         bench/support/eigen_mlp.hpp
//
// Counters: samples/s, time/sample, GFLOP/s (2 FLOP per multiply-add of forward, dW and dx
// but the first layer's dx) and peak% (of the 12-chain FMA peak measured once per run).
// Time is per call, that is per 32 samples. See bench/README.md.

#include <ctnn/ctnn.hpp>

#include "support/common.hpp"
#include "support/topologies.hpp"

#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <type_traits>

namespace {

using namespace ctnn_bench;

/// What one training step of a `Net` needs besides the network: ctnn's Gradients and
/// Workspace, or the baseline's gradients.
template <class Net, bool = is_ctnn_network<Net>>
struct Trainer {
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;

    float step(const Net& net, std::span<const input_type> inputs, std::span<const output_type> targets) noexcept {
        return ctnn::backward<ctnn::MeanSquaredError>(net, inputs, targets, gradients, workspace);
    }
    void read(std::span<float, Net::parameter_count> out) const noexcept { gradients.read(out); }

    ctnn::Gradients<Net> gradients;
    ctnn::Workspace<Net> workspace;
};

template <class Net>
struct Trainer<Net, false> {
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;

    float step(const Net& net, std::span<const input_type> inputs, std::span<const output_type> targets) noexcept {
        return net.backward(inputs, targets, gradients);
    }
    void read(std::span<float, Net::parameter_count> out) const noexcept { gradients.read(out); }

    typename Net::gradients_type gradients;
};

/// One backward() call over `batch_size` samples per iteration. The loss is kept and memory
/// clobbered after every call, so the gradients count as read and no work is dropped.
template <class Net>
void BM_Backward(benchmark::State& state) {
    using Topo = topology_of_t<Net>;
    constexpr std::size_t p = Topo::parameter_count;
    const auto net = make_network<Net>();
    const auto data = make_batch<Topo>();
    const std::span<const typename Net::input_type> inputs(data.inputs);
    const std::span<const typename Net::output_type> targets(data.targets);
    const auto trainer = std::make_unique<Trainer<Net>>();

    if constexpr (!std::is_same_v<Net, PlainMlp<Topo>>) {
        using Reference = PlainMlp<Topo>;
        const auto reference = make_network<Reference>();
        const auto reference_trainer = std::make_unique<Trainer<Reference>>();
        const float want_loss = reference_trainer->step(*reference, inputs, targets);
        const float got_loss = trainer->step(*net, inputs, targets);
        auto want = std::make_unique<std::array<float, p>>();
        auto got = std::make_unique<std::array<float, p>>();
        reference_trainer->read(*want);
        trainer->read(*got);
        if (!close(std::span<const float>(&got_loss, 1), std::span<const float>(&want_loss, 1)) ||
            !close(*got, *want)) {
            fail(state, "loss or gradients differ from the plain baseline");
            return;
        }
    }

    benchmark::DoNotOptimize(net.get());
    benchmark::DoNotOptimize(trainer.get());
    benchmark::DoNotOptimize(data.inputs.data());
    benchmark::DoNotOptimize(data.targets.data());
    for (auto _ : state) {
        float loss = trainer->step(*net, inputs, targets);
        benchmark::DoNotOptimize(loss);
        benchmark::ClobberMemory();
    }
    set_counters(state, batch_size, Topo::training_macs);
}

BENCHMARK(BM_Backward<Net_2_16_16_1>)->Name("backward/2-16-16-1");
BENCHMARK(BM_Backward<Scalar<Net_2_16_16_1>>)->Name("backward/2-16-16-1/scalar_arch");
BENCHMARK(BM_Backward<Plain<Net_2_16_16_1>>)->Name("backward/2-16-16-1/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Backward<EigenBaseline<Net_2_16_16_1>>)->Name("backward/2-16-16-1/eigen");
#endif

BENCHMARK(BM_Backward<Net_64_32_10>)->Name("backward/64-32-10");
BENCHMARK(BM_Backward<Scalar<Net_64_32_10>>)->Name("backward/64-32-10/scalar_arch");
BENCHMARK(BM_Backward<Plain<Net_64_32_10>>)->Name("backward/64-32-10/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Backward<EigenBaseline<Net_64_32_10>>)->Name("backward/64-32-10/eigen");
#endif

BENCHMARK(BM_Backward<Net_784_128_64_10>)->Name("backward/784-128-64-10");
BENCHMARK(BM_Backward<Scalar<Net_784_128_64_10>>)->Name("backward/784-128-64-10/scalar_arch");
BENCHMARK(BM_Backward<Plain<Net_784_128_64_10>>)->Name("backward/784-128-64-10/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Backward<EigenBaseline<Net_784_128_64_10>>)->Name("backward/784-128-64-10/eigen");
#endif

BENCHMARK(BM_Backward<Net_16_64_64_4>)->Name("backward/16-64-64-4");
BENCHMARK(BM_Backward<Scalar<Net_16_64_64_4>>)->Name("backward/16-64-64-4/scalar_arch");
BENCHMARK(BM_Backward<Plain<Net_16_64_64_4>>)->Name("backward/16-64-64-4/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Backward<EigenBaseline<Net_16_64_64_4>>)->Name("backward/16-64-64-4/eigen");
#endif

}  // namespace

int main(int argc, char** argv) {
    return ctnn_bench::main(argc, argv);
}
