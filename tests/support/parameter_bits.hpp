#pragma once

// A network's parameters as bytes, for comparisons that must see NaN payloads and signed zeros (== on the values
// does not).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

namespace ctnn_test {

/// The bytes of `net`'s parameters in the canonical order; for a network of 16-bit weights (ctnn::BFloat16Network)
/// the weights' patterns, then its float parameters.
template <class Net>
std::vector<std::byte> parameter_bits(const Net& net) {
    if constexpr (requires { Net::float_parameter_count; }) {
        std::vector<std::uint16_t> w(Net::weight_count);
        std::vector<float> f(Net::float_parameter_count);
        net.read_parameters(std::span<std::uint16_t, Net::weight_count>(w.data(), w.size()),
                            std::span<float, Net::float_parameter_count>(f.data(), f.size()));
        std::vector<std::byte> bits(w.size() * 2 + f.size() * 4);
        std::memcpy(bits.data(), w.data(), w.size() * 2);
        std::memcpy(bits.data() + w.size() * 2, f.data(), f.size() * 4);
        return bits;
    } else {
        using T = typename Net::value_type;
        std::vector<T> p(Net::parameter_count);
        net.read_parameters(std::span<T, Net::parameter_count>(p.data(), p.size()));
        std::vector<std::byte> bits(p.size() * sizeof(T));
        std::memcpy(bits.data(), p.data(), bits.size());
        return bits;
    }
}

}  // namespace ctnn_test
