#pragma once

#include "ctnn/simd/ops.hpp"

#include <ratio>

namespace ctnn {

/// Exponential linear unit: z for z > 0, alpha (e^z - 1) otherwise. `Alpha` is a
/// `std::ratio`. Users write `ctnn::ELU` (alpha 1, torch.nn.ELU's default) or
/// `ctnn::ELU::with<Alpha>` (which takes Alpha reduced: `ELU::with<std::ratio<2, 2>>` is `ELU`).
template <class Alpha>
struct BasicELU {
    static_assert(Alpha::num > 0, "ctnn::ELU::with<Alpha>: Alpha must be positive");

    template <class OtherAlpha>
    using with = BasicELU<typename OtherAlpha::type>;

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

/// The ELU with torch.nn.ELU's alpha 1; `ELU::with<Alpha>` sets another.
using ELU = BasicELU<std::ratio<1>>;

}  // namespace ctnn
