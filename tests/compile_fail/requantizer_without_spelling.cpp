// Compile-fail test compile_fail.requantizer_without_spelling (tests/compile_fail/cases.cmake).
// Misuse: saving a quantized network whose requantizer is the user's own: weights files spell ctnn's two only.
// Expected: "ctnn::io::RequantizerSpelling<R>: R has no file spelling; ..."
// With -DCTNN_COMPILE_FAIL_FIXED the network uses ctnn::FloatRequantizer and the file compiles cleanly.
#include <ctnn/ctnn.hpp>
#include <ctnn/io/quantized_weights.hpp>

#include <cstdint>

/// A user's requantizer: FloatRequantizer's multiplier, rounded half away from zero.
struct RoundingRequantizer {
    using multiplier_type = float;
    [[nodiscard]] static constexpr float multiplier(float input_scale, float weight_scale,
                                                    float output_scale) noexcept {
        return ctnn::FloatRequantizer::multiplier(input_scale, weight_scale, output_scale);
    }
    [[nodiscard]] static constexpr std::int32_t apply(std::int32_t acc, float multiplier) noexcept {
        const float v = static_cast<float>(acc) * multiplier;
        return static_cast<std::int32_t>(v < 0 ? v - 0.5f : v + 0.5f);
    }
};

using Net = ctnn::Network<float, ctnn::Input<2>, ctnn::Dense<4, ctnn::ReLU>, ctnn::Dense<1, ctnn::Sigmoid>>;
#ifdef CTNN_COMPILE_FAIL_FIXED
using Quantized = ctnn::QuantizedNetwork<Net, ctnn::FloatRequantizer>;
#else
using Quantized = ctnn::QuantizedNetwork<Net, RoundingRequantizer>;
#endif

int main() {
    const Quantized net;
    return ctnn::io::save(net, "net.ctnn").ok() ? 0 : 1;
}
