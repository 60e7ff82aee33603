#pragma once

// The training state of one implementation, shared by train_bench.cpp and batch_bench.cpp:
// the network, the seeded data, and what a step needs besides the network (ctnn's Trainer
// and Workspace, the plain reference's gradients, Eigen's workspaces), all on the heap.

#include <ctnn/ctnn.hpp>

#include "common.hpp"
#include "topologies.hpp"

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <type_traits>

namespace ctnn_bench {

/// ctnn's SGD trainer for `Net`, with the benchmarks' learning rate.
template <class Net>
using SgdTrainer = ctnn::Trainer<Net, typename topology_of_t<Net>::loss, ctnn::SGD<>>;

/// `Net`, its data, and the buffers of its steps.
template <class Net>
struct Training {
    using Topo = topology_of_t<Net>;
    using input_type = typename Net::input_type;
    using output_type = typename Net::output_type;

    std::unique_ptr<Net> net = make_network<Net>();
    Data<Topo> data = make_data<Topo>();

    /// The first `count` samples and their targets.
    [[nodiscard]] std::span<const input_type> inputs(std::size_t count) const {
        return std::span<const input_type>(data.inputs.data(), count);
    }
    [[nodiscard]] std::span<const output_type> targets(std::size_t count) const {
        return std::span<const output_type>(data.targets.data(), count);
    }

    /// Checks a step that started from make_parameters() and returned `loss`, with the
    /// network now in *net, against the plain reference's step on the same samples.
    [[nodiscard]] std::string check_step(float loss, std::size_t first, std::size_t count) const {
        const auto reference = make_network<Plain<Net>>();
        const auto gradients = std::make_unique<typename Plain<Net>::gradients_type>();
        const float want_loss =
            reference->sgd_step(std::span(data.inputs).subspan(first, count),
                                std::span(data.targets).subspan(first, count), learning_rate, *gradients);
        if (auto error = check_loss(loss, want_loss); !error.empty()) return error;
        return check_update(make_parameters<Topo>(), parameters_of(*net), parameters_of(*reference));
    }
};

}  // namespace ctnn_bench
