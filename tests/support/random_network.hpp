#pragma once

// Seeded random networks and inputs for the tests of quantized networks.

#include "ctnn/init.hpp"
#include "ctnn/random.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace ctnn_test {

/// A `Net` on the heap with normal weights of variance 1 / fan-in (ctnn::init::normal_inverse_fan_in) from `seed`.
template <class Net>
std::unique_ptr<Net> random_network(std::uint64_t seed) {
    auto net = std::make_unique<Net>();
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(*net, random);
    return net;
}

/// `count` inputs of `Net`, each value uniform in [low, high), from `seed`.
template <class Net>
std::vector<typename Net::input_type> random_inputs(std::size_t count, float low, float high, std::uint64_t seed) {
    ctnn::Random random(seed);
    std::vector<typename Net::input_type> xs(count);
    for (auto& x : xs) {
        for (float& v : x) v = random.uniform<float>(low, high);
    }
    return xs;
}

}  // namespace ctnn_test
