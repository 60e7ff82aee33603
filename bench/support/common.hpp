#pragma once

// What every benchmark program shares: the topologies, the seeded parameters and data every
// implementation receives, the agreement checks against the plain reference, the counters
// (samples/s, time/sample, GFLOP/s, peak%), and the driver that turns a benchmark case into
// a Google Benchmark and into an instruction count under callgrind.
//
// A benchmark case is a struct, templated on the network type ("Net": a ctnn network or a
// baseline), with
//   static std::string name()                       e.g. "forward/784-128-64-10/eigen"
//   static constexpr std::size_t samples_per_iteration, macs_per_sample
//   std::string check()                             "" when its results agree with the reference
//   void run()                                      one timed iteration
// It is built once, on the heap, checked, then run: run_case<Case> for Google Benchmark,
// count_case<Case> for callgrind (see main()).

#include <ctnn/bfloat16_network.hpp>
#include <ctnn/ctnn.hpp>
#include <ctnn/float16_network.hpp>

#include "peak_fma.hpp"

#include <benchmark/benchmark.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CTNN_BENCH_CALLGRIND 1
#else
#define CTNN_BENCH_CALLGRIND 0
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace ctnn_bench {

/// The loss each output unit is trained with: MSE for Linear, binary cross-entropy for
/// Sigmoid, categorical cross-entropy for Softmax (ctnn's pairings).
template <class Output>
struct loss_for {
    using type = ctnn::MeanSquaredError;
};
template <>
struct loss_for<ctnn::Sigmoid> {
    using type = ctnn::BinaryCrossEntropy;
};
template <>
struct loss_for<ctnn::Softmax> {
    using type = ctnn::CategoricalCrossEntropy;
};

/// A multilayer perceptron's shape: layer widths `Sizes` (input first), every hidden layer
/// with activation `Hidden` (ctnn::Tanh or ctnn::ReLU, used here as a tag) and an output
/// unit `Output` (ctnn::Linear, ctnn::Sigmoid or ctnn::Softmax), trained with its loss.
template <class Hidden, class Output, std::size_t... Sizes>
struct Topology {
    static_assert(sizeof...(Sizes) >= 3, "a topology needs an input, a hidden layer and an output layer");
    using hidden = Hidden;
    using output = Output;
    using loss = typename loss_for<Output>::type;
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
    /// Multiply-adds of one sample's training step: forward, the weight gradient x delta^T,
    /// and W^T delta for every layer but the first (nobody asks for the input's gradient).
    static constexpr std::size_t training_macs = 3 * macs - sizes[0] * sizes[1];
    static constexpr std::size_t parameter_count = [] {
        std::size_t sum = 0;
        for (std::size_t l = 0; l < layer_count; ++l) sum += sizes[l] * sizes[l + 1] + sizes[l + 1];
        return sum;
    }();

    /// "784-128-64-10"; a linear (MSE) output adds "-linear": "64-32-10-linear".
    static std::string name() {
        std::string s;
        for (std::size_t w : sizes) {
            if (!s.empty()) s += '-';
            s += std::to_string(w);
        }
        if (std::is_same_v<Output, ctnn::Linear>) s += "-linear";
        return s;
    }
};

/// The concatenation of `parts`, e.g. a benchmark's name. (Appending, rather than
/// "literal" + std::string, keeps g++ 12's -Wrestrict false positive away.)
inline std::string concat(std::initializer_list<std::string_view> parts) {
    std::string s;
    for (std::string_view p : parts) s.append(p);
    return s;
}

// ---- mapping implementations to their topology ----------------------------------------

template <class Net>
struct topology_of {
    using type = typename Net::topology;  // the baselines say it themselves
};

template <class Arch, class T, std::size_t In, class First, class... Rest>
struct topology_of<ctnn::BasicNetwork<Arch, T, ctnn::Input<In>, First, Rest...>> {
    using type = Topology<typename First::activation,
                          typename ctnn::BasicNetwork<Arch, T, ctnn::Input<In>, First, Rest...>::output_activation, In,
                          First::units, Rest::units...>;
};

template <class Net>
using topology_of_t = typename topology_of<Net>::type;

template <class Net>
inline constexpr bool is_ctnn_network = false;
template <class Arch, class T, class... Specs>
inline constexpr bool is_ctnn_network<ctnn::BasicNetwork<Arch, T, Specs...>> = true;

template <class Net>
inline constexpr bool is_bfloat16_network = false;
template <class Net>
inline constexpr bool is_bfloat16_network<ctnn::BFloat16Network<Net>> = true;

template <class Net>
inline constexpr bool is_float16_network = false;
template <class Net>
inline constexpr bool is_float16_network<ctnn::Float16Network<Net>> = true;

/// A network of 16-bit weights rounded from a float network (bfloat16 or binary16).
template <class Net>
inline constexpr bool is_half_width_network = is_bfloat16_network<Net> || is_float16_network<Net>;

/// A bfloat16 or binary16 network has the topology of its float network.
template <class Net>
struct topology_of<ctnn::BFloat16Network<Net>> {
    using type = typename topology_of<Net>::type;
};
template <class Net>
struct topology_of<ctnn::Float16Network<Net>> {
    using type = typename topology_of<Net>::type;
};

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
/// Seeded samples per topology: the largest batch.
inline constexpr std::size_t pool_size = 256;
/// Single-sample benchmarks cycle through the first `sample_pool` samples (for the 784-input
/// networks, 100 KB of inputs, which stay in L2 with the weights).
inline constexpr std::size_t sample_pool = 32;
/// The learning rate of every training benchmark.
inline constexpr float learning_rate = 0.01f;

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
struct Data {
    std::vector<std::array<float, Topo::input_size>> inputs;
    std::vector<std::array<float, Topo::output_size>> targets;
};

/// `pool_size` inputs uniform in [-1, 1), and targets the output unit can reach: uniform in
/// [-1, 1) for a linear output, 0 or 1 for sigmoids, one-hot for a softmax.
template <class Topo>
Data<Topo> make_data() {
    ctnn::Random random(data_seed);
    Data<Topo> data;
    data.inputs.resize(pool_size);
    data.targets.resize(pool_size);
    for (auto& x : data.inputs) {
        for (float& v : x) v = random.uniform<float>(-1.0f, 1.0f);
    }
    for (auto& t : data.targets) {
        if constexpr (std::is_same_v<typename Topo::output, ctnn::Softmax>) {
            t.fill(0.0f);
            t[random.below(static_cast<std::uint32_t>(t.size()))] = 1.0f;
        } else if constexpr (std::is_same_v<typename Topo::output, ctnn::Sigmoid>) {
            for (float& v : t) v = random.below(2) == 0 ? 0.0f : 1.0f;
        } else {
            for (float& v : t) v = random.uniform<float>(-1.0f, 1.0f);
        }
    }
    return data;
}

/// A `Net` on the heap (the big ones are hundreds of KB) holding make_parameters().
template <class Net>
std::unique_ptr<Net> make_network() {
    using Topo = topology_of_t<Net>;
    static_assert(Net::parameter_count == Topo::parameter_count, "the network does not match its topology");
    if constexpr (is_half_width_network<Net>) {
        return std::make_unique<Net>(*make_network<typename Net::network_type>());  // the seeded weights, rounded
    } else {
        auto net = std::make_unique<Net>();
        const std::vector<float> p = make_parameters<Topo>();
        net->write_parameters(std::span<const float, Net::parameter_count>(p.data(), Net::parameter_count));
        return net;
    }
}

/// Every parameter of `net` in the canonical order.
template <class Net>
std::vector<float> parameters_of(const Net& net) {
    std::vector<float> p(Net::parameter_count);
    net.read_parameters(std::span<float, Net::parameter_count>(p.data(), Net::parameter_count));
    return p;
}

// ---- agreement checks -----------------------------------------------------------------
//
// Every benchmark compares its implementation with the plain reference (plain_mlp.hpp)
// before it is timed. The tolerances are float rounding, relative to the largest value:
// outputs and losses agree to 1e-4; a training step's change of every parameter agrees to
// 1e-3 of the largest change (the gradient passes through up to three sums of up to 784
// products and the activations' derivatives) plus one float ulp of the stored parameter.

inline constexpr double output_tolerance = 1e-4;
inline constexpr double update_tolerance = 1e-3;

/// max_k |got_k - want_k| / max_k |want_k|.
inline double relative_deviation(std::span<const float> got, std::span<const float> want) {
    double scale = 0, worst = 0;
    for (float w : want) scale = std::max(scale, std::fabs(static_cast<double>(w)));
    for (std::size_t k = 0; k < want.size(); ++k) {
        worst = std::max(worst, std::fabs(static_cast<double>(got[k]) - static_cast<double>(want[k])));
    }
    if (!(worst == worst)) return INFINITY;  // NaN
    return scale > 0 ? worst / scale : worst;
}

/// "" when `got` agrees with `want` to `output_tolerance` relative to the largest |want|;
/// otherwise what differs, and by how much.
inline std::string check_outputs(const char* what, std::span<const float> got, std::span<const float> want) {
    const double d = relative_deviation(got, want);
    if (d <= output_tolerance) return "";
    return std::string(what) + " differs from the plain reference by " + std::to_string(d) + " of its largest value";
}

/// The mean loss of a step against the reference's.
inline std::string check_loss(float got, float want) {
    const double d = std::fabs(static_cast<double>(got) - want) / std::max(std::fabs(static_cast<double>(want)), 1e-6);
    if (d <= output_tolerance) return "";
    return "loss " + std::to_string(got) + " differs from the plain reference's " + std::to_string(want);
}

/// Parameters after one training step, `got` and `want`, from the same `before`: every
/// change agrees to `update_tolerance` of the largest change plus one ulp of the parameter.
inline std::string check_update(std::span<const float> before, std::span<const float> got,
                                std::span<const float> want) {
    double largest = 0;
    for (std::size_t k = 0; k < want.size(); ++k) {
        largest = std::max(largest, std::fabs(static_cast<double>(want[k]) - before[k]));
    }
    double worst = 0;
    for (std::size_t k = 0; k < want.size(); ++k) {
        const double ulp = std::ldexp(std::fabs(static_cast<double>(want[k])), -23);
        const double excess = std::fabs(static_cast<double>(got[k]) - want[k]) - ulp;
        if (!(excess == excess)) return "parameters after one step are not finite";
        worst = std::max(worst, excess);
    }
    if (largest == 0) return "the reference step changed no parameter";
    if (worst <= update_tolerance * largest) return "";
    return "parameters after one step differ from the plain reference by " + std::to_string(worst / largest) +
           " of the largest change";
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

// ---- the driver -----------------------------------------------------------------------

/// Benchmarks whose results differed from the reference; main() fails when any did, so the
/// CTest smoke test (bench.*) catches a wrong result, not only a crash.
inline int failures = 0;

/// Marks the benchmark as failed: a wrong result is not worth timing.
inline void fail(benchmark::State& state, const std::string& what) {
    ++failures;
    state.SkipWithError(what.c_str());
}

/// `n` iterations of `c`, each ending with ClobberMemory(), so that each call reads the
/// weights from memory as a real caller's would, nothing is hoisted out of the loop, and no
/// store is dropped as dead. Out of line, so that the timed loop and the counted loop run
/// the same machine code (and the compiler builds it once).
template <class Case>
[[gnu::noinline]] void run_iterations(Case& c, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
        c.run();
        benchmark::ClobberMemory();
    }
}

/// Iterations per call of run_iterations() in a benchmark: 16 for the small cases, so that
/// the call costs nothing per iteration, 1 for those that take microseconds.
template <class Case>
inline constexpr std::size_t iterations_per_call = Case::samples_per_iteration* Case::macs_per_sample < 20000 ? 16 : 1;

/// A Google Benchmark of `Case`: build, check, then run.
template <class Case>
void run_case(benchmark::State& state) {
    const auto c = std::make_unique<Case>();
    if (const std::string error = c->check(); !error.empty()) {
        fail(state, error);
        return;
    }
    benchmark::DoNotOptimize(c.get());
    while (state.KeepRunningBatch(iterations_per_call<Case>)) run_iterations(*c, iterations_per_call<Case>);
    set_counters(state, Case::samples_per_iteration, Case::macs_per_sample);
}

/// `iterations` runs of `Case`, with callgrind's instrumentation on for them alone (run the
/// program under valgrind --tool=callgrind --instr-atstart=no).
template <class Case>
void count_case(std::size_t iterations) {
    const auto c = std::make_unique<Case>();
    benchmark::DoNotOptimize(c.get());
    run_iterations(*c, 1);  // the first call's lazy work (none expected) stays outside the count
#if CTNN_BENCH_CALLGRIND
    CALLGRIND_START_INSTRUMENTATION;
#endif
    run_iterations(*c, iterations);
#if CTNN_BENCH_CALLGRIND
    CALLGRIND_STOP_INSTRUMENTATION;
#endif
}

/// The cases of this program, by name, for --count.
inline std::map<std::string, void (*)(std::size_t)>& countable_cases() {
    static std::map<std::string, void (*)(std::size_t)> cases;
    return cases;
}

/// Registers `Case` as the benchmark Case::name() (and for --count).
template <class Case>
void add() {
    const std::string name = Case::name();
    benchmark::RegisterBenchmark(name.c_str(), run_case<Case>);
    countable_cases()[name] = count_case<Case>;
}

/// BENCHMARK_MAIN()'s body, but the exit status is 1 when a result was wrong. Also:
///   --count=<benchmark name> [--count_iterations=N]   runs N iterations (default 1000) of one
///       benchmark without timing, its instrumentation on only for them: under
///       `valgrind --tool=callgrind --instr-atstart=no` callgrind's total is N iterations.
///   --count_list                                       prints the names --count accepts.
inline int main(int argc, char** argv) {
    std::string count;
    std::size_t iterations = 1000;
    for (int k = 1; k < argc; ++k) {
        const std::string_view arg = argv[k];
        if (arg.starts_with("--count=")) {
            count = arg.substr(8);
        } else if (arg.starts_with("--count_iterations=")) {
            iterations = std::strtoull(argv[k] + 19, nullptr, 10);
        } else if (arg == "--count_list") {
            for (const auto& [name, fn] : countable_cases()) std::printf("%s\n", name.c_str());
            return 0;
        }
    }
    if (!count.empty()) {
        const auto it = countable_cases().find(count);
        if (it == countable_cases().end()) {
            std::fprintf(stderr, "%s: no benchmark named '%s' (see --count_list)\n", argv[0], count.c_str());
            return 2;
        }
        it->second(iterations);
        std::printf("%s: %zu iterations%s\n", count.c_str(), iterations,
                    CTNN_BENCH_CALLGRIND ? "" : " (built without valgrind/callgrind.h: nothing counted)");
        return 0;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return failures == 0 ? 0 : 1;
}

}  // namespace ctnn_bench
