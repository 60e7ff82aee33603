// Batches: inference on 256 samples and minibatch SGD on 32 and 256, ctnn against (when
// installed) a hand-written Eigen MLP that does each layer as one GEMM over the batch.
//
//   forward_batch_256/<topology>          net.forward(std::span<const input_type>, std::span<output_type>)
//   forward_batch_256/<topology>/eigen    Z.noalias() = W X; Z.colwise() += b; then the activation,
//                                         X a matrix of 256 columns
//   minibatch_<n>/<topology>              ctnn::Trainer<Net, Loss, ctnn::SGD<>>(net, {.learning_rate = {0.01}})
//                                         .step(inputs, targets) on n samples: the mean loss's
//                                         gradient, then w -= eta gradient
//   minibatch_<n>/<topology>/eigen        Delta = Y - T; Delta_below = W^T Delta times f'(Z_below);
//                                         W.noalias() -= (eta / n) Delta A^T; b -= (eta / n) row sums
//
//   forward_batch_256/<odd topology>      ctnn on 33-33-10-3 and 10-33-3-1 and on their twins rounded up to whole
//                                         registers (tools/bench's padding table)
//
// A minibatch iteration is one step on the same first n samples; the network keeps learning.
// Before timing, the outputs of a batch, and one step from the seeded parameters (the mean
// loss and every parameter after it), are checked against the plain reference.
// Counters: samples/s, time/sample, GFLOP/s and peak%, as in forward_bench.cpp and
// train_bench.cpp; the Time column is per batch. See bench/README.md.

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
#include <vector>

namespace {

using namespace ctnn_bench;

/// Eigen's batch workspace for `Batch` columns; nothing for ctnn.
template <class Net, std::size_t Batch>
struct BatchState {
    explicit BatchState(Net& /*net*/) : workspace(Batch) {}
    typename Net::batch_workspace_type workspace;
};

/// The forward pass of `Batch` samples per iteration.
template <class Net, std::size_t Batch>
struct BatchForward : Training<Net> {
    using Topo = topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = Batch;
    static constexpr std::size_t macs_per_sample = Topo::macs;
    static std::string name() {
        return concat({"forward_batch_", std::to_string(Batch), "/", Topo::name(), implementation_suffix<Net>()});
    }

    std::string check() {
        run();
        const auto reference = make_network<Plain<Net>>();
        for (std::size_t s = 0; s < Batch; ++s) {
            const auto want = reference->forward(this->data.inputs[s]);
            if (auto error = check_outputs("batch forward", outputs[s], want); !error.empty()) return error;
        }
        return "";
    }

    void run() {
        const std::span<typename Net::output_type> out(outputs.data(), Batch);
        if constexpr (is_ctnn_network<Net>) {
            this->net->forward(this->inputs(Batch), out);
        } else {
            this->net->forward(this->inputs(Batch), out, state->workspace);
        }
        benchmark::DoNotOptimize(outputs.data());
    }

    struct NoState {
        explicit NoState(Net& /*net*/) {}
    };
    using StateType = std::conditional_t<is_ctnn_network<Net>, NoState, BatchState<Net, Batch>>;

    std::vector<typename Net::output_type> outputs = std::vector<typename Net::output_type>(Batch);
    std::unique_ptr<StateType> state = std::make_unique<StateType>(*this->net);
};

template <class Net>
using BatchForward256 = BatchForward<Net, 256>;

/// One SGD step on the first `Batch` samples per iteration.
template <class Net, std::size_t Batch>
struct MinibatchStep : Training<Net> {
    using Topo = topology_of_t<Net>;
    static constexpr std::size_t samples_per_iteration = Batch;
    static constexpr std::size_t macs_per_sample = Topo::training_macs;
    static std::string name() {
        return concat({"minibatch_", std::to_string(Batch), "/", Topo::name(), implementation_suffix<Net>()});
    }

    float step() {
        if constexpr (is_ctnn_network<Net>) {
            return state->trainer.step(this->inputs(Batch), this->targets(Batch)).loss;
        } else {
            return this->net->minibatch_step(this->inputs(Batch), this->targets(Batch), learning_rate,
                                             state->workspace);
        }
    }

    std::string check() {
        const float loss = step();
        return this->check_step(loss, 0, Batch);
    }

    void run() {
        float loss = step();
        benchmark::DoNotOptimize(loss);
    }

    struct TrainerState {
        explicit TrainerState(Net& net) : trainer(net, ctnn::SGD<>{.learning_rate = {learning_rate}}) {}
        SgdTrainer<Net> trainer;
    };
    using StateType = std::conditional_t<is_ctnn_network<Net>, TrainerState, BatchState<Net, Batch>>;

    std::unique_ptr<StateType> state = std::make_unique<StateType>(*this->net);
};

/// The batch benchmarks of ctnn and Eigen for `Net`.
template <class Net>
void add_batches() {
    add<BatchForward<Net, 256>>();
    add<MinibatchStep<Net, 32>>();
    add<MinibatchStep<Net, 256>>();
#if CTNN_BENCH_EIGEN
    add<BatchForward<EigenBaseline<Net>, 256>>();
    add<MinibatchStep<EigenBaseline<Net>, 32>>();
    add<MinibatchStep<EigenBaseline<Net>, 256>>();
#endif
}

}  // namespace

int main(int argc, char** argv) {
    add_batches<Net_2_16_16_1>();
    add_batches<Net_64_128_128_10>();
    add_batches<Net_784_128_64_10>();
    add_padding_pairs<BatchForward256>();
    return ctnn_bench::main(argc, argv);
}
