#pragma once

/// @file
/// The optimisers' kernel: one walk over a network's flat storage, a register at a time,
/// with the parameters, their gradients and the optimiser's per-parameter state side by
/// side. Written with simd::load/store, so it is vectorised at every optimisation level:
/// the compiler need not prove the arrays disjoint, nor drop std::sqrt's errno branch.

#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <cstddef>
#include <type_traits>

namespace ctnn::simd {

/// For every register r of `Size` aligned elements: loads g_r, w_r and s_r of each state
/// array, calls `step(g_r, w_r, s_r...)` with w_r and the s_r as mutable registers
/// (`vector_t<T, Arch>&`), then stores them back, guarded lane by lane: a lane's new values
/// are stored only when all of them (w and every state value) are finite; otherwise the
/// parameter and its state keep their values, bit for bit. So an update that overflows T
/// never writes an infinity or a NaN. `step` is called once per register in order and must
/// compute lane by lane; padding lanes come along like any other. Capture the rule's
/// constants by value (`[=]`): captured by reference, they are loaded again for every
/// register, because the compiler cannot tell that the stores leave them alone.
///
/// Returns true when every lane was stored. The guard is branch-free: a finite_residue, a
/// compare and a select per array and register.
///
/// Requires: `w`, `g` and every `state` aligned to `alignment<T, Arch>`, `Size` elements
/// each, no two overlapping.
template <class Arch, std::size_t Size, class T, class Step, class... State>
[[nodiscard]] inline bool update_parameters(T* w, const T* g, Step step, State*... state) noexcept {
    static_assert(Size % width<T, Arch> == 0,
                  "ctnn::simd::update_parameters: Size must be a whole number of registers");
    static_assert((std::is_same_v<State, T> && ...),
                  "ctnn::simd::update_parameters: state arrays hold the parameters' scalar type");
    using V = vector_t<T, Arch>;
    V rejected(T(0));
    for (std::size_t i = 0; i < Size; i += width<T, Arch>) {
        const V w_old = simd::load<V>(w + i);
        [&](const auto&... s_old) {
            V wr = w_old;
            [&](auto... sr) {
                step(simd::load<V>(g + i), wr, sr...);
                // The parameter last: its new value comes last in most rules (after Adam's divide), so only the
                // final multiply-add of the residue waits for it.
                const V residue = simd::finite_residue(sr..., wr);
                const auto finite = residue == V(T(0));
                simd::store(w + i, simd::select(finite, wr, w_old));
                (simd::store(state + i, simd::select(finite, sr, s_old)), ...);
                rejected = rejected + residue;
            }(s_old...);
        }(simd::load<V>(state + i)...);
    }
    return simd::reduce_add(rejected) == T(0);
}

}  // namespace ctnn::simd
