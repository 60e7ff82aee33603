#pragma once

/// @file
/// ctnn::Gradients: the gradient of a loss for every parameter of a network, laid out
/// exactly like the network's own storage, so an optimiser updates both in one flat loop.

#include "ctnn/config.hpp"

#include <array>
#include <cstddef>
#include <span>

namespace ctnn {

/// Gradients for every parameter of a `Net`; padding lanes are zero.
template <class Net>
class Gradients {
public:
    using value_type = typename Net::value_type;
    static constexpr std::size_t parameter_count = Net::parameter_count;
    static constexpr std::size_t storage_size = Net::storage_size;

    /// Sets every gradient to zero.
    void clear() noexcept { storage_.fill(value_type(0)); }

    /// Copies the gradients out in the network's canonical parameter order.
    void read(std::span<value_type, parameter_count> out) const noexcept {
        Net::for_each_parameter([&](std::size_t k, std::size_t s) { out[k] = storage_[s]; });
    }

    /// The gradient of the parameter at canonical index `k`. Requires: k < parameter_count.
    [[nodiscard]] value_type operator[](std::size_t k) const noexcept { return storage_[Net::storage_index(k)]; }

    /// The raw storage, parallel to Net::storage().
    [[nodiscard]] std::span<value_type, storage_size> storage() noexcept { return storage_; }
    [[nodiscard]] std::span<const value_type, storage_size> storage() const noexcept { return storage_; }

private:
    alignas(Net::alignment) std::array<value_type, storage_size> storage_{};
};

}  // namespace ctnn
