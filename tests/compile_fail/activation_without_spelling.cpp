// Compile-fail test compile_fail.activation_without_spelling (tests/compile_fail/cases.cmake).
// Misuse: saving a network with an activation of the user's own that has no file spelling.
// Expected: "ctnn::io::ActivationSpelling<Act>: Act has no file spelling; specialise ..."
// With -DCTNN_COMPILE_FAIL_FIXED the file spells it correctly and compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/io/weights.hpp>

#include <string>

/// A user's activation: the hard sigmoid clamp(z / 4 + 1/2, 0, 1).
struct HardSigmoid {
    template <class V>
    [[nodiscard]] static V value(const V& z) noexcept {
        return ctnn::simd::min(ctnn::simd::max(z * V(0.25) + V(0.5), V(0)), V(1));
    }
    template <class V>
    [[nodiscard]] static V derivative(const V& /*z*/, const V& y) noexcept {
        return ctnn::simd::select(y > V(0) && y < V(1), V(0.25), V(0));
    }
};

#ifdef CTNN_COMPILE_FAIL_FIXED
template <>
struct ctnn::io::ActivationSpelling<HardSigmoid> {
    static std::string id() { return "hard_sigmoid"; }
    static std::string cpp_name() { return "HardSigmoid"; }
};
#endif

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, HardSigmoid>, ctnn::Dense<1, ctnn::Sigmoid>>;

int main() {
    const Net net;
    return ctnn::io::save(net, "net.ctnn").ok() ? 0 : 1;
}
