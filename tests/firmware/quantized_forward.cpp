// Firmware test: the int8 forward pass of the two networks of firmware.forward, quantized on the host with each
// requantizer (FloatRequantizer, FixedPointRequantizer) and exported as constexpr headers. For each input of
// reference.hpp, every quantum of forward_quanta (the input's, each layer's Linear and output quanta) must be the
// host's, and so must every float output, bit for bit: the int8 kernels are exact, and the input's quantization, the
// requantization and the dequantization are the same float operations on every IEEE 754 unit (hardware, or the
// Cortex-M3's software). One exception: Softmax's float exp (simd::math::exp) uses fused multiply-adds where the core
// has them (the Cortex-M4F and M7, not the host's x86-64 baseline nor the M3), so there its outputs, from the same
// logit quanta, are only checked to within 2^-20 of the host's, relatively. forward_from_quanta on the input quanta
// must give forward's outputs bit for bit (same core, same code after the input's quantization). The networks must lie
// in flash (read-only data), not in RAM. And the input's quantization of this core (in integers where there is no
// floating-point unit, quant/integer_quantize.hpp) must give QuantizationParams::quantize's quanta on special values,
// ties, their neighbours and random values, at several scales.

#include "ctnn/random.hpp"

#include "reference.hpp"
#include "report.hpp"
#include "softmax_q_fixed.hpp"
#include "softmax_q_float.hpp"
#include "tanh_q_fixed.hpp"
#include "tanh_q_float.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>

namespace {

// link.ld: flash at 0x00000000, RAM from 0x20000000.
constexpr std::uintptr_t ram_start = 0x20000000u;

// Whether simd::math's float functions fuse their multiply-adds here (simd/math.hpp, detail::fused).
#if defined(__ARM_FEATURE_FMA)
constexpr bool fused_exp = true;
#else
constexpr bool fused_exp = false;
#endif

template <class Q, std::size_t Samples>
int check_quantized(const char* name, const Q& net, const std::array<typename Q::input_type, Samples>& inputs,
                    const std::array<std::array<std::uint8_t, Q::quanta_size>, Samples>& expected_quanta,
                    const std::array<typename Q::output_type, Samples>& expected_outputs) {
    int failures = 0;
    if (reinterpret_cast<std::uintptr_t>(&net) >= ram_start) {
        std::printf("FAIL %s: the network is in RAM, not in flash\n", name);
        ++failures;
    }
    const bool rounded_alike = !fused_exp || !std::is_same_v<typename Q::output_activation, ctnn::Softmax>;
    for (std::size_t s = 0; s < Samples; ++s) {
        typename Q::input_type x = inputs[s];
        firmware::opaque(x);
        std::array<std::uint8_t, Q::quanta_size> quanta{};
        const typename Q::output_type y = net.forward_quanta(x, quanta);
        for (std::size_t k = 0; k < Q::quanta_size; ++k) {
            if (quanta[k] != expected_quanta[s][k]) {
                std::printf("FAIL %s: sample %u, quantum %u is %u, the host's %u\n", name, static_cast<unsigned>(s),
                            static_cast<unsigned>(k), static_cast<unsigned>(quanta[k]),
                            static_cast<unsigned>(expected_quanta[s][k]));
                ++failures;
            }
        }
        std::array<std::uint8_t, Q::input_size> input_quanta;
        std::memcpy(input_quanta.data(), expected_quanta[s].data(), Q::input_size);
        firmware::opaque(input_quanta);
        const typename Q::output_type from_quanta = net.forward_from_quanta(input_quanta);
        if (std::memcmp(&from_quanta, &y, sizeof y) != 0) {
            std::printf("FAIL %s: sample %u, forward_from_quanta differs from forward\n", name,
                        static_cast<unsigned>(s));
            ++failures;
        }
        for (std::size_t k = 0; k < Q::output_size; ++k) {
            const float e = expected_outputs[s][k];
            const float error = y[k] > e ? y[k] - e : e - y[k];
            const bool ok = rounded_alike ? std::memcmp(&y[k], &e, sizeof e) == 0 : error <= 0x1p-20f * e;
            if (!ok) {
                std::printf("FAIL %s: sample %u, output %u: ", name, static_cast<unsigned>(s),
                            static_cast<unsigned>(k));
                firmware::print_number(y[k]);
                firmware::print_line(", the host's ", e);
                ++failures;
            }
        }
    }
    std::printf("%s: %u samples, %u quanta each, %u bytes of parameters at 0x%08lx: %s\n", name,
                static_cast<unsigned>(Samples), static_cast<unsigned>(Q::quanta_size), static_cast<unsigned>(sizeof(Q)),
                static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(&net)),
                failures != 0   ? "DIFFERENT"
                : rounded_alike ? "quanta and outputs equal"
                                : "quanta equal, outputs within 2^-20");
    return failures;
}

// quantize_values (a network input's quantization) against QuantizationParams::quantize, value by value.
int check_input_quantization() {
    constexpr std::size_t n = 64;
    int failures = 0;
    std::size_t checked = 0;
    ctnn::Random random(5);
    for (const ctnn::QuantizationParams qparams :
         {ctnn::QuantizationParams{0.25f, 10}, ctnn::QuantizationParams{0.02f, 0},
          ctnn::QuantizationParams{0.0137f, 255}, ctnn::QuantizationParams{3.5f, 117},
          ctnn::QuantizationParams{1e-6f, 128}}) {
        for (int round = 0; round < 20; ++round) {
            std::array<float, n> x = {0.0f,
                                      -0.0f,
                                      __builtin_nanf(""),
                                      __builtin_inff(),
                                      -__builtin_inff(),
                                      1e30f,
                                      -1e30f,
                                      0x1p-149f,
                                      0x1p-126f,
                                      0.5f * qparams.scale,
                                      2.5f * qparams.scale,
                                      -2.5f * qparams.scale,
                                      255.5f * qparams.scale,
                                      256.0f * qparams.scale,
                                      -256.0f * qparams.scale,
                                      513.0f * qparams.scale};
            for (std::size_t k = 16; k < n; k += 3) {
                const auto tie =
                    static_cast<float>(static_cast<std::int32_t>(random() % 1200) - 600) * 0.5f * qparams.scale;
                x[k] = tie;
                x[k + 1] = std::bit_cast<float>(std::bit_cast<std::uint32_t>(tie) + random() % 7 - 3);
                x[k + 2] = std::bit_cast<float>(random());
            }
            firmware::opaque(x);
            std::array<std::uint8_t, n> q;
            ctnn::detail::quantize_values<ctnn::simd::scalar_arch, n>(qparams, x.data(), q.data());
            for (std::size_t k = 0; k < n; ++k, ++checked) {
                if (q[k] != qparams.quantize(x[k]) && failures++ == 0) {
                    std::printf("FAIL input quantization: scale ");
                    firmware::print_number(qparams.scale);
                    std::printf(", x = ");
                    firmware::print_line("", x[k]);
                }
            }
        }
    }
    std::printf("input quantization (%s): %u values, %u differ\n", CTNN_INTEGER_QUANTIZE ? "in integers" : "in float",
                static_cast<unsigned>(checked), static_cast<unsigned>(failures));
    return failures;
}

}  // namespace

int main() {
    using namespace reference;
    const int failures = check_quantized("tanh_q_float", tanh_q_float::network, tanh_quantized_inputs,
                                         tanh_q_float_quanta, tanh_q_float_outputs) +
                         check_quantized("tanh_q_fixed", tanh_q_fixed::network, tanh_quantized_inputs,
                                         tanh_q_fixed_quanta, tanh_q_fixed_outputs) +
                         check_quantized("softmax_q_float", softmax_q_float::network, softmax_quantized_inputs,
                                         softmax_q_float_quanta, softmax_q_float_outputs) +
                         check_quantized("softmax_q_fixed", softmax_q_fixed::network, softmax_quantized_inputs,
                                         softmax_q_fixed_quanta, softmax_q_fixed_outputs) +
                         check_input_quantization();
    std::printf("quantized_forward: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
