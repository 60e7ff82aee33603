#pragma once

#include "ctnn/gradients.hpp"

#include <cmath>
#include <cstddef>

namespace ctnn {

/// The Euclidean norm of all gradients together.
template <class Net>
[[nodiscard]] typename Net::value_type gradient_norm(const Gradients<Net>& gradients) noexcept {
    typename Net::value_type sum = 0;
    for (auto g : gradients.storage()) sum += g * g;
    return std::sqrt(sum);
}

/// Scales the gradients down so their norm is at most `max_norm` (gradient-norm
/// clipping); leaves them as they are when it already is. Returns the norm before.
template <class Net>
typename Net::value_type clip_gradient_norm(Gradients<Net>& gradients, typename Net::value_type max_norm) noexcept {
    const auto norm = gradient_norm(gradients);
    if (norm > max_norm) {
        const auto scale = max_norm / norm;
        for (auto& g : gradients.storage()) g *= scale;
    }
    return norm;
}

}  // namespace ctnn
