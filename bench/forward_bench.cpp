// Inference, one sample per call: ctnn::Network::forward(x) against ctnn's scalar kernels,
// a plain-loop MLP and (when installed) an Eigen fixed-size MLP of the same topology and
// parameters, plus this core's peak FMA throughput, measured in the same run.
//
//   forward/<topology>               ctnn::Network<float, ...>, kernels for the compile flags
//   forward/<topology>/scalar_arch   ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ...>
//   forward/<topology>/plain         bench/support/plain_mlp.hpp
//   forward/<topology>/eigen         bench/support/eigen_mlp.hpp
//   peak/fma/<n>-chains              n independent FMA chains in xsimd registers
//
// Counters: samples/s, time/sample, GFLOP/s (2 FLOP per weight multiply-add) and peak%
// (GFLOP/s over the 12-chain peak, measured once per run). See bench/README.md.

#include <ctnn/ctnn.hpp>

#include "support/common.hpp"
#include "support/peak_fma.hpp"
#include "support/topologies.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <type_traits>

namespace {

using namespace ctnn_bench;

/// One forward pass per iteration, cycling through `batch_size` seeded inputs. The network
/// and its inputs are on the heap and escape, and memory is clobbered after every call, so
/// each call reads its weights from memory as a real caller's would, and nothing is hoisted
/// out of the loop.
template <class Net>
void BM_Forward(benchmark::State& state) {
    using Topo = topology_of_t<Net>;
    const auto net = make_network<Net>();
    const auto data = make_batch<Topo>();

    if constexpr (!std::is_same_v<Net, PlainMlp<Topo>>) {
        const auto reference = make_network<PlainMlp<Topo>>();
        for (const auto& x : data.inputs) {
            const auto got = net->forward(x);
            const auto want = reference->forward(x);
            if (!close(got, want)) {
                fail(state, "forward differs from the plain baseline");
                return;
            }
        }
    }

    benchmark::DoNotOptimize(net.get());
    benchmark::DoNotOptimize(data.inputs.data());
    std::size_t s = 0;
    for (auto _ : state) {
        auto y = net->forward(data.inputs[s]);
        benchmark::DoNotOptimize(y);
        benchmark::ClobberMemory();
        s = (s + 1) % batch_size;
    }
    set_counters(state, 1, Topo::macs);
}

#if CTNN_SIMD
/// `Chains` independent FMA chains, 256 rounds per iteration.
template <std::size_t Chains>
void BM_PeakFma(benchmark::State& state) {
    using Kernel = FmaChains<Chains>;
    Kernel kernel;
    for (auto _ : state) {
        kernel.run();
        benchmark::DoNotOptimize(kernel);
    }
    const double flop = static_cast<double>(state.iterations()) * Kernel::flop_per_run;
    state.counters["GFLOP/s"] = benchmark::Counter(flop * 1e-9, benchmark::Counter::kIsRate);
    state.SetLabel(std::string(ctnn::simd::default_arch::name()) + ", " + std::to_string(Kernel::lanes) +
                   " floats per register");
}

BENCHMARK(BM_PeakFma<8>)->Name("peak/fma/8-chains");
BENCHMARK(BM_PeakFma<10>)->Name("peak/fma/10-chains");
BENCHMARK(BM_PeakFma<12>)->Name("peak/fma/12-chains");
#endif

BENCHMARK(BM_Forward<Net_2_16_16_1>)->Name("forward/2-16-16-1");
BENCHMARK(BM_Forward<Scalar<Net_2_16_16_1>>)->Name("forward/2-16-16-1/scalar_arch");
BENCHMARK(BM_Forward<Plain<Net_2_16_16_1>>)->Name("forward/2-16-16-1/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Forward<EigenBaseline<Net_2_16_16_1>>)->Name("forward/2-16-16-1/eigen");
#endif

BENCHMARK(BM_Forward<Net_64_32_10>)->Name("forward/64-32-10");
BENCHMARK(BM_Forward<Scalar<Net_64_32_10>>)->Name("forward/64-32-10/scalar_arch");
BENCHMARK(BM_Forward<Plain<Net_64_32_10>>)->Name("forward/64-32-10/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Forward<EigenBaseline<Net_64_32_10>>)->Name("forward/64-32-10/eigen");
#endif

BENCHMARK(BM_Forward<Net_784_128_64_10>)->Name("forward/784-128-64-10");
BENCHMARK(BM_Forward<Scalar<Net_784_128_64_10>>)->Name("forward/784-128-64-10/scalar_arch");
BENCHMARK(BM_Forward<Plain<Net_784_128_64_10>>)->Name("forward/784-128-64-10/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Forward<EigenBaseline<Net_784_128_64_10>>)->Name("forward/784-128-64-10/eigen");
#endif

BENCHMARK(BM_Forward<Net_16_64_64_4>)->Name("forward/16-64-64-4");
BENCHMARK(BM_Forward<Scalar<Net_16_64_64_4>>)->Name("forward/16-64-64-4/scalar_arch");
BENCHMARK(BM_Forward<Plain<Net_16_64_64_4>>)->Name("forward/16-64-64-4/plain");
#if CTNN_BENCH_EIGEN
BENCHMARK(BM_Forward<EigenBaseline<Net_16_64_64_4>>)->Name("forward/16-64-64-4/eigen");
#endif

}  // namespace

int main(int argc, char** argv) {
    return ctnn_bench::main(argc, argv);
}
