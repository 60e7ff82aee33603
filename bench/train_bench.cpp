// Training, one sample per step (the classic stochastic gradient descent): ctnn's Trainer
// and ctnn::fused_sgd_step against ctnn's scalar kernels, the plain loops and (when
// installed) a hand-written Eigen MLP, on the same topologies, parameters and data.
//
//   sgd_step/<topology>               ctnn::Trainer<Net, Loss, ctnn::SGD<>>(net, {.learning_rate = {0.01}})
//                                     .step(x, t) (which takes the fused path)
//   sgd_step/<topology>/fused         ctnn::fused_sgd_step<Loss>(net, x, t, 0.01f, workspace)
//   sgd_step/<topology>/scalar_arch   the Trainer with ctnn::simd::scalar_arch
//   sgd_step/<topology>/plain         plain_mlp.hpp: backward on a batch of one, then w -= eta g
//   sgd_step/<topology>/eigen         eigen_mlp.hpp: per layer delta, W^T delta before W
//                                     changes, then W -= eta delta a^T, b -= eta delta in place
//   adam_step/<topology>              ctnn::Trainer<Net, Loss, ctnn::Adam<>>(net, {.learning_rate = {0.01}})
//                                     .step(x, t): backward on a batch of one, the finiteness
//                                     check, then Adam's update (ctnn alone: the cost of an
//                                     optimiser with state, next to sgd_step)
//   sgd_step/<odd topology>/fused     the fused step on 33-33-10-3 and 10-33-3-1 and on their twins rounded up to
//                                     whole registers (tools/bench's padding table)
//
// Each iteration is one step on the next of `sample_pool` samples; the network keeps
// learning. Before timing, one step from the seeded parameters is checked against the plain
// reference (the loss, and every parameter after the step).
// Counters: samples/s, time/sample, GFLOP/s (2 FLOP per multiply-add of the forward pass,
// the weight gradient and W^T delta but the first layer's) and peak%. See bench/README.md.

#include <ctnn/ctnn.hpp>

#include "support/common.hpp"
#include "support/topologies.hpp"
#include "support/training.hpp"

#include <benchmark/benchmark.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>

namespace {

using namespace ctnn_bench;

template <class Net, bool Fused = false>
struct SgdStep : Training<Net> {
    using Topo = topology_of_t<Net>;
    using Loss = typename Topo::loss;
    static constexpr std::size_t samples_per_iteration = 1;
    static constexpr std::size_t macs_per_sample = Topo::training_macs;
    static std::string name() {
        return concat({"sgd_step/", Topo::name(), Fused ? "/fused" : implementation_suffix<Net>()});
    }

    /// One step on sample s; returns its loss.
    float step() {
        const auto& x = this->data.inputs[s];
        const auto& t = this->data.targets[s];
        s = (s + 1) % sample_pool;
        if constexpr (Fused) {
            return ctnn::fused_sgd_step<Loss>(*this->net, x, t, learning_rate, state->workspace).loss;
        } else if constexpr (is_ctnn_network<Net>) {
            return state->trainer.step(x, t).loss;
        } else if constexpr (std::is_same_v<Net, Plain<Net>>) {
            return this->net->sgd_step(std::span(&x, 1), std::span(&t, 1), learning_rate, state->gradients);
        } else {
            return this->net->sgd_step(x, t, learning_rate, state->workspace);
        }
    }

    std::string check() {
        if constexpr (std::is_same_v<Net, Plain<Net>>) return "";
        const float loss = step();
        return this->check_step(loss, 0, 1);
    }

    void run() {
        float loss = step();
        benchmark::DoNotOptimize(loss);
    }

    struct State {
        explicit State(Net& net) : trainer(net, ctnn::SGD<>{.learning_rate = {learning_rate}}) {}
        SgdTrainer<Net> trainer;
        ctnn::Workspace<Net> workspace;
    };
    struct EigenState {
        explicit EigenState(Net& /*net*/) {}
        typename Net::workspace_type workspace;
    };
    struct PlainState {
        explicit PlainState(Net& /*net*/) {}
        typename Net::gradients_type gradients;
    };
    using StateType = std::conditional_t<is_ctnn_network<Net>, State,
                                         std::conditional_t<std::is_same_v<Net, Plain<Net>>, PlainState, EigenState>>;

    std::unique_ptr<StateType> state = std::make_unique<StateType>(*this->net);
    std::size_t s = 0;
};

/// ctnn's one-sample Adam step. Its check: the loss before the step equals the plain reference's (the update
/// differs from SGD's, so the parameters are not compared).
template <class Net>
struct AdamStep : Training<Net> {
    using Topo = topology_of_t<Net>;
    using Loss = typename Topo::loss;
    static constexpr std::size_t samples_per_iteration = 1;
    static constexpr std::size_t macs_per_sample = Topo::training_macs;
    static std::string name() { return concat({"adam_step/", Topo::name()}); }

    float step() {
        const auto& x = this->data.inputs[s];
        const auto& t = this->data.targets[s];
        s = (s + 1) % sample_pool;
        return trainer->step(x, t).loss;
    }

    std::string check() {
        const float loss = step();
        const auto reference = make_network<Plain<Net>>();
        const auto gradients = std::make_unique<typename Plain<Net>::gradients_type>();
        return check_loss(loss, reference->sgd_step(std::span(this->data.inputs).first(1),
                                                    std::span(this->data.targets).first(1), learning_rate, *gradients));
    }

    void run() {
        float loss = step();
        benchmark::DoNotOptimize(loss);
    }

    using AdamTrainer = ctnn::Trainer<Net, Loss, ctnn::Adam<>>;
    std::unique_ptr<AdamTrainer> trainer =
        std::make_unique<AdamTrainer>(*this->net, ctnn::Adam<>{.learning_rate = {learning_rate}});
    std::size_t s = 0;
};

template <class Net>
using FusedSgdStep = SgdStep<Net, true>;

/// The one-sample step of every implementation of `Net`.
template <class Net>
void add_sgd_step() {
    add<SgdStep<Net>>();
    add<SgdStep<Net, true>>();
    if constexpr (has_scalar_variant<Net>) add<SgdStep<Scalar<Net>>>();
    add<SgdStep<Plain<Net>>>();
#if CTNN_BENCH_EIGEN
    add<SgdStep<EigenBaseline<Net>>>();
#endif
}

}  // namespace

int main(int argc, char** argv) {
    add_sgd_step<Net_2_16_16_1>();
    add_sgd_step<Net_64_128_128_10>();
    add_sgd_step<Net_784_128_64_10>();
    add<AdamStep<Net_2_16_16_1>>();
    add<AdamStep<Net_64_128_128_10>>();
    add<AdamStep<Net_784_128_64_10>>();
    add_padding_pairs<FusedSgdStep>();
    return ctnn_bench::main(argc, argv);
}
