// Gradients, one batch of 32 samples per call: ctnn::backward<Loss>(net, inputs, targets,
// gradients, workspace) (forward keeping every layer's buffers, the loss, backpropagation,
// the gradient of the mean loss) against the plain loops, which run the same algorithm sample
// by sample, on the regression networks (linear output, MSE). The training benchmarks against
// Eigen are in train_bench.cpp (one sample) and batch_bench.cpp (minibatches).
//
//   backward/<topology>         ctnn::Network<float, ...>, kernels for the compile flags
//   backward/<topology>/plain   bench/support/plain_mlp.hpp
//
// Before timing, the loss and every gradient are checked against the plain reference.
// Counters: samples/s, time/sample, GFLOP/s (2 FLOP per multiply-add of forward, dW and dx
// but the first layer's dx) and peak% (of the 12-chain FMA peak measured once per run).
// Time is per call, that is per 32 samples. See bench/README.md.

#include <ctnn/ctnn.hpp>

#include "support/common.hpp"
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

inline constexpr std::size_t backward_batch = 32;

template <class Net>
struct Backward {
    using Topo = topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = backward_batch;
    static constexpr std::size_t macs_per_sample = Topo::training_macs;
    static std::string name() { return concat({"backward/", Topo::name(), implementation_suffix<Net>()}); }

    float step() {
        const std::span<const typename Net::input_type> inputs(data.inputs.data(), backward_batch);
        const std::span<const typename Net::output_type> targets(data.targets.data(), backward_batch);
        if constexpr (is_ctnn_network<Net>) {
            return ctnn::backward<typename Topo::loss>(*net, inputs, targets, state->gradients, state->workspace);
        } else {
            return net->backward(inputs, targets, state->gradients);
        }
    }

    /// The gradients of the last step, in the canonical order.
    std::vector<float> gradients() const {
        std::vector<float> g(Net::parameter_count);
        state->gradients.read(std::span<float, Net::parameter_count>(g.data(), Net::parameter_count));
        return g;
    }

    std::string check() {
        if constexpr (std::is_same_v<Net, Plain<Net>>) {
            return "";
        } else {
            Backward<Plain<Net>> reference;
            if (auto error = check_loss(step(), reference.step()); !error.empty()) return error;
            const double d = relative_deviation(gradients(), reference.gradients());
            if (d <= update_tolerance) return "";
            return "gradients differ from the plain reference by " + std::to_string(d) + " of the largest";
        }
    }

    void run() {
        float loss = step();
        benchmark::DoNotOptimize(loss);
    }

    struct CtnnState {
        ctnn::Gradients<Net> gradients;
        ctnn::Workspace<Net> workspace;
    };
    struct BaselineState {
        typename Net::gradients_type gradients;
    };
    using StateType = std::conditional_t<is_ctnn_network<Net>, CtnnState, BaselineState>;

    std::unique_ptr<Net> net = make_network<Net>();
    Data<Topo> data = make_data<Topo>();
    std::unique_ptr<StateType> state = std::make_unique<StateType>();
};

/// ctnn and the plain loops. (No Eigen and no scalar_arch here, to keep the build short: the
/// Eigen per-sample training code is the largest part of a bench program's build.)
template <class Net>
void add_backward() {
    add<Backward<Net>>();
    add<Backward<Plain<Net>>>();
}

}  // namespace

int main(int argc, char** argv) {
    add_backward<Linear_2_16_16_1>();
    add_backward<Linear_64_32_10>();
    add_backward<Linear_784_128_64_10>();
    add_backward<Linear_16_64_64_4>();
    return ctnn_bench::main(argc, argv);
}
