#pragma once

#include "ctnn/simd/ops.hpp"

#include <ratio>

namespace ctnn {

/// Exponential linear unit: z for z > 0, alpha (e^z - 1) otherwise. `Alpha` is a
/// `std::ratio` (default 1).
template <class Alpha = std::ratio<1>>
struct ELU {
    static_assert(Alpha::num > 0, "ctnn::ELU<Alpha>: Alpha must be positive");

    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        // expm1 of a non-positive argument only: keeps the unused branch from overflowing.
        return simd::select(z > V(0), z, simd::ratio_value<V, Alpha>() * simd::expm1(simd::min(z, V(0))));
    }
    /// 1 for z > 0, otherwise y + alpha.
    template <class V>
    [[nodiscard]] static V derivative(const V& z, const V& y) noexcept {
        return simd::select(z > V(0), V(1), y + simd::ratio_value<V, Alpha>());
    }
};

}  // namespace ctnn
