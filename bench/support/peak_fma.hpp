#pragma once

// The core's peak floating-point throughput for the instruction set ctnn compiles for:
// `Chains` independent chains of acc = fma(acc, a, b) in xsimd registers of
// ctnn::simd::default_arch. One chain waits for the previous FMA (4-5 cycles of latency on
// current cores); with enough chains in flight every FMA unit starts one per cycle.
//
// On x86-64 without FMA (the compiler's default SSE2), xsimd::fma is a multiply and an add,
// so the figure is the SSE2 mul+add peak, which is what ctnn's kernels can reach there too.
// Without xsimd (CTNN_FORCE_SCALAR) there is no kernel and peak_gflops() is 0.

#include <ctnn/simd/arch.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <utility>

namespace ctnn_bench {

#if CTNN_SIMD
/// `Chains` accumulators run through `rounds` FMAs each.
template <std::size_t Chains>
class FmaChains {
public:
    using batch = xsimd::batch<float, ctnn::simd::default_arch>;
    static constexpr std::size_t rounds = 256;
    static constexpr std::size_t lanes = batch::size;
    static constexpr double flop_per_run = 2.0 * Chains * lanes * rounds;

    /// a * fixed + b == fixed for fixed = 1, so the values stay normal forever.
    FmaChains() noexcept : a_(0.5f), b_(0.5f) {
        for (std::size_t j = 0; j < Chains; ++j) acc_[j] = batch(1.0f + static_cast<float>(j) / 64.0f);
    }

    /// `rounds` FMAs on every chain.
    void run() noexcept { run_impl(std::make_index_sequence<Chains>{}); }

    /// The sum of the accumulators, so that the work is observable.
    [[nodiscard]] float sum() const noexcept {
        batch s(0.0f);
        for (const batch& v : acc_) s += v;
        return xsimd::hadd(s);
    }

private:
    template <std::size_t... J>
    void run_impl(std::index_sequence<J...>) noexcept {
        // Locals, so that the chains live in registers for the whole loop.
        batch acc[Chains] = {acc_[J]...};
        const batch a = a_, b = b_;
        for (std::size_t r = 0; r < rounds; ++r) {
            ((acc[J] = xsimd::fma(acc[J], a, b)), ...);
        }
        ((acc_[J] = acc[J]), ...);
    }

    batch acc_[Chains];
    batch a_, b_;
};

/// Chains used for peak_gflops(): 12 also saturates SSE2's separate multiply and add units
/// (latency 3 + 3 cycles, two of each per cycle on Zen) and fits 16 registers with a and b.
inline constexpr std::size_t calibration_chains = 12;

/// The peak in GFLOP/s, measured once (best of 20 runs of about 1 ms) on first use.
inline double peak_gflops() {
    static const double peak = [] {
        FmaChains<calibration_chains> kernel;
        double best = 0;
        for (int repeat = 0; repeat < 20; ++repeat) {
            constexpr int runs = 1000;
            const auto start = std::chrono::steady_clock::now();
            for (int n = 0; n < runs; ++n) {
                kernel.run();
                benchmark::DoNotOptimize(kernel);  // keeps the work between the two clock reads
            }
            const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
            best = std::max(best, FmaChains<calibration_chains>::flop_per_run * runs / seconds.count() * 1e-9);
        }
        // A sum that is never finite would be a broken kernel; this also keeps the work alive.
        return kernel.sum() > 0 ? best : 0.0;
    }();
    return peak;
}
#else
inline double peak_gflops() {
    return 0;
}
#endif

}  // namespace ctnn_bench
