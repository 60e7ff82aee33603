// Inference, one sample per call: ctnn::Network::forward(x) against ctnn's scalar kernels,
// the plain loops and (when installed) a hand-written Eigen MLP of the same topology and
// parameters, plus this core's peak FMA throughput, measured in the same run.
//
//   forward/<topology>                 ctnn::Network<float, ...>, kernels for the compile flags
//   forward/<topology>/scalar_arch     ctnn::BasicNetwork<ctnn::simd::scalar_arch, float, ...>
//   forward/<topology>/bf16            ctnn::BFloat16Network<Net>: the same weights rounded to bfloat16
//   forward/<topology>/fp16            ctnn::Float16Network<Net>: the same weights rounded to IEEE binary16
//   forward/<topology>/plain           bench/support/plain_mlp.hpp
//   forward/<topology>/eigen           bench/support/eigen_mlp.hpp
//   peak/fma/<n>-chains                n independent FMA chains in xsimd registers
//   forward/33-33-10-3, forward/10-33-3-1 and their twins with every size rounded up to whole registers (e.g.
//                                      forward/40-40-16-8 with AVX2): ctnn only, for tools/bench's padding table
//
// Each iteration is one forward pass on the next of `sample_pool` seeded inputs. Before
// timing, the outputs for all of them are checked against the plain reference (for bf16 and fp16,
// the plain reference holding the rounded weights).
//
// Counters: samples/s, time/sample, GFLOP/s (2 FLOP per weight multiply-add) and peak%
// (GFLOP/s over the 12-chain peak, measured once per run). See bench/README.md.

#include <ctnn/bfloat16_network.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/float16_network.hpp>

#include "support/common.hpp"
#include "support/peak_fma.hpp"
#include "support/topologies.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using namespace ctnn_bench;

/// The plain loops with the parameters of `net`: the seeded ones, or for a bfloat16 or binary16
/// network the seeded ones with the weights as it rounded them.
template <class Net>
std::unique_ptr<Plain<Net>> reference_for(const Net& net) {
    if constexpr (is_half_width_network<Net>) {
        auto reference = std::make_unique<Plain<Net>>();
        const std::vector<float> rounded = parameters_of(*std::make_unique<typename Net::network_type>(net.to_float()));
        reference->write_parameters(std::span<const float, Net::parameter_count>(rounded.data(), rounded.size()));
        return reference;
    } else {
        return make_network<Plain<Net>>();
    }
}

/// One forward pass per iteration, cycling through `sample_pool` seeded inputs.
template <class Net>
struct Forward {
    using Topo = topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = 1;
    static constexpr std::size_t macs_per_sample = Topo::macs;
    static std::string name() { return concat({"forward/", Topo::name(), implementation_suffix<Net>()}); }

    std::string check() const {
        if constexpr (std::is_same_v<Net, Plain<Net>>) {
            return "";
        } else {
            const auto reference = reference_for(*net);
            for (std::size_t s = 0; s < sample_pool; ++s) {
                const auto got = net->forward(data.inputs[s]);
                const auto want = reference->forward(data.inputs[s]);
                if (auto error = check_outputs("forward", got, want); !error.empty()) return error;
            }
            return "";
        }
    }

    void run() {
        auto y = net->forward(data.inputs[s]);
        benchmark::DoNotOptimize(y);
        s = (s + 1) % sample_pool;
    }

    std::unique_ptr<Net> net = make_network<Net>();
    Data<Topo> data = make_data<Topo>();
    std::size_t s = 0;
};

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

/// Single-sample forward of every implementation of `Net`.
template <class Net>
void add_forward() {
    add<Forward<Net>>();
    if constexpr (has_scalar_variant<Net>) add<Forward<Scalar<Net>>>();
    add<Forward<ctnn::BFloat16Network<Net>>>();
    add<Forward<ctnn::Float16Network<Net>>>();
    add<Forward<Plain<Net>>>();
#if CTNN_BENCH_EIGEN
    add<Forward<EigenBaseline<Net>>>();
#endif
}

}  // namespace

int main(int argc, char** argv) {
    add_forward<Net_2_16_16_1>();
    add_forward<Net_64_128_128_10>();
    add_forward<Net_784_128_64_10>();
    add_forward<Linear_2_16_16_1>();
    add_forward<Linear_64_32_10>();
    add_forward<Linear_784_128_64_10>();
    add_forward<Linear_16_64_64_4>();
    add_padding_pairs<Forward>();
    return ctnn_bench::main(argc, argv);
}
