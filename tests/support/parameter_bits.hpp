#pragma once

// A network's parameters as bytes, for comparisons that must see NaN payloads and signed zeros (== on the values
// does not).

#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

namespace ctnn_test {

/// The bytes of `net`'s parameters in the canonical order.
template <class Net>
std::vector<std::byte> parameter_bits(const Net& net) {
    using T = typename Net::value_type;
    std::vector<T> p(Net::parameter_count);
    net.read_parameters(std::span<T, Net::parameter_count>(p.data(), p.size()));
    std::vector<std::byte> bits(p.size() * sizeof(T));
    std::memcpy(bits.data(), p.data(), bits.size());
    return bits;
}

}  // namespace ctnn_test
