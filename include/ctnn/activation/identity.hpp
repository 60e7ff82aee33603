#pragma once

namespace ctnn {

/// The identity, y = z: a linear output unit (pairs with ctnn::MeanSquaredError), or a
/// linear hidden layer.
struct Linear {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return z;
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& /*z*/, const V& /*y*/) noexcept {
        return V(1);
    }
};

}  // namespace ctnn
