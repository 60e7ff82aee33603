// The second step of the export test (tests/export/CMakeLists.txt): a program built against the headers that
// export_generator wrote, the way firmware would use them: no file system, no ctnn/io, the networks constexpr.
// It is compiled with CTNN_HOSTED=0 and checks that the exported networks give, bit for bit, the outputs the
// in-memory networks gave (expected.txt, the only file it reads; argv[1]), and the quantized ones every quantum too.

#include "exported_bf16.hpp"
#include "exported_bf16_large.hpp"
#include "exported_double.hpp"
#include "exported_f16.hpp"
#include "exported_f16_large.hpp"
#include "exported_float.hpp"
#include "exported_large.hpp"
#include "exported_q_large.hpp"
#include "exported_q_small.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <ratio>
#include <type_traits>

// The headers declare the types export_generator exported.
static_assert(
    std::is_same_v<exported_float::Network, ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<8, ctnn::PReLU>,
                                                          ctnn::Dense<6, ctnn::Tanh>, ctnn::Dense<4, ctnn::Softmax>>>);
static_assert(
    std::is_same_v<
        exported_double::Network,
        ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<7, ctnn::LeakyReLU::with<std::ratio<1, 10>>>,
                      ctnn::Dense<5, ctnn::ELU::with<std::ratio<1, 2>>>, ctnn::Dense<4, ctnn::RReLU>,
                      ctnn::Dense<3, ctnn::Swish>, ctnn::Dense<3, ctnn::Softplus>, ctnn::Dense<1, ctnn::Sigmoid>>>);

static_assert(std::is_same_v<exported_large::Network,
                             ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>,
                                           ctnn::Dense<64, ctnn::ReLU>, ctnn::Dense<10, ctnn::Softmax>>>);
static_assert(exported_large::Network::parameter_count == 109386);

// The networks are constants: every parameter can be read in a constant expression.
template <class Net, std::size_t N>
constexpr bool holds(const Net& net, const std::array<typename Net::value_type, N>& parameters) {
    static_assert(N == Net::parameter_count);
    for (std::size_t k = 0; k < N; ++k) {
        if (net.parameter(k) != parameters[k]) return false;
    }
    return true;
}
static_assert(holds(exported_float::network, exported_float::parameters));
static_assert(holds(exported_double::network, exported_double::parameters));
static_assert(exported_float::network.parameter(3 * 8 + 8) != 0.25f);  // a PReLU slope, trained away from 1/4
constexpr exported_float::Network copy = exported_float::network;
static_assert(copy == exported_float::network);

// The quantized networks: their types, their size (the parameters, nothing else), and constants built from the
// exported layers.
static_assert(
    std::is_same_v<exported_q_small::Network,
                   ctnn::QuantizedNetwork<ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<8, ctnn::Tanh>,
                                                        ctnn::Dense<6, ctnn::Linear>, ctnn::Dense<1, ctnn::Sigmoid>>,
                                          ctnn::FixedPointRequantizer>>);
static_assert(
    std::is_same_v<exported_q_large::Network, ctnn::QuantizedNetwork<exported_large::Network, ctnn::FloatRequantizer>>);
static_assert(sizeof(exported_q_large::Network) == exported_q_large::Network::storage_bytes);
static_assert(exported_q_small::network.layer<0>() == exported_q_small::layer_1);
static_assert(exported_q_small::network.layer<2>() == exported_q_small::layer_3);
static_assert(exported_q_small::network.input_qparams() == exported_q_small::input_qparams);
static_assert(exported_q_large::network.layer<1>() == exported_q_large::layer_2);
constexpr exported_q_small::Network q_copy = exported_q_small::network;
static_assert(q_copy == exported_q_small::network);

// The networks of 16-bit weights (bfloat16, binary16): their types, their size, and every parameter readable in a
// constant expression: the exported patterns and float parameters, in the canonical order.
static_assert(std::is_same_v<exported_bf16::Network, ctnn::BFloat16Network<exported_float::Network>>);
static_assert(std::is_same_v<exported_bf16_large::Network, ctnn::BFloat16Network<exported_large::Network>>);
static_assert(sizeof(exported_bf16_large::Network) == exported_bf16_large::Network::storage_bytes);
static_assert(std::is_same_v<exported_f16::Network, ctnn::Float16Network<exported_float::Network>>);
static_assert(std::is_same_v<exported_f16_large::Network, ctnn::Float16Network<exported_large::Network>>);
static_assert(sizeof(exported_f16_large::Network) == exported_f16_large::Network::storage_bytes);
template <class N>
constexpr bool holds_weights16(const N& net, const std::array<std::uint16_t, N::weight_count>& weights,
                               const std::array<float, N::float_parameter_count>& float_parameters) {
    std::array<std::uint16_t, N::weight_count> w{};
    std::array<float, N::float_parameter_count> f{};
    net.read_parameters(w, f);
    return w == weights && f == float_parameters;
}
static_assert(holds_weights16(exported_bf16::network, exported_bf16::weights, exported_bf16::float_parameters));
static_assert(exported_bf16::float_parameters[8] != 0.25f);  // layer 1's first PReLU slope, after its 8 biases
constexpr exported_bf16::Network bf16_copy = exported_bf16::network;
static_assert(bf16_copy == exported_bf16::network);
static_assert(holds_weights16(exported_f16::network, exported_f16::weights, exported_f16::float_parameters));
static_assert(exported_f16::float_parameters[8] != 0.25f);
constexpr exported_f16::Network f16_copy = exported_f16::network;
static_assert(f16_copy == exported_f16::network);

namespace {

template <class T>
bool read_value(std::FILE* in, T& value) {
    char token[64];
    if (std::fscanf(in, "%63s", token) != 1) return false;
    char* end = nullptr;
    const double parsed = std::strtod(token, &end);
    value = static_cast<T>(parsed);  // exact: the value was printed from a T
    return *end == '\0';
}

template <class Net>
bool check_sample(const Net& net, std::FILE* in, const char* name, int line) {
    typename Net::input_type x;
    typename Net::output_type expected;
    for (auto& v : x) {
        if (!read_value(in, v)) return false;
    }
    for (auto& v : expected) {
        if (!read_value(in, v)) return false;
    }
    const auto y = net.forward(x);
    if (std::memcmp(y.data(), expected.data(), sizeof y) == 0) return true;
    std::printf("consumer: %s, line %d: the exported network's outputs differ from the in-memory network's:\n", name,
                line);
    for (std::size_t k = 0; k < y.size(); ++k) {
        std::printf("  y[%zu] = %a, expected %a\n", k, static_cast<double>(y[k]), static_cast<double>(expected[k]));
    }
    return false;
}

/// A quantized network's sample: its outputs and every quantum of forward_quanta, bit for bit.
template <class Q>
bool check_quantized_sample(const Q& net, std::FILE* in, const char* name, int line) {
    typename Q::input_type x;
    typename Q::output_type expected;
    std::array<unsigned, Q::quanta_size> expected_quanta;
    for (auto& v : x) {
        if (!read_value(in, v)) return false;
    }
    for (auto& v : expected) {
        if (!read_value(in, v)) return false;
    }
    for (auto& q : expected_quanta) {
        if (std::fscanf(in, "%u", &q) != 1) return false;
    }
    static std::array<std::uint8_t, Q::quanta_size> quanta;
    const auto y = net.forward_quanta(x, quanta);
    bool ok = std::memcmp(y.data(), expected.data(), sizeof y) == 0;
    for (std::size_t k = 0; k < Q::quanta_size; ++k) {
        if (quanta[k] != expected_quanta[k]) {
            std::printf("consumer: %s, line %d: quantum %zu is %u, expected %u\n", name, line, k,
                        static_cast<unsigned>(quanta[k]), expected_quanta[k]);
            ok = false;
        }
    }
    if (!ok) std::printf("consumer: %s, line %d: the exported quantized network differs\n", name, line);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::printf("usage: consumer <expected.txt>\n");
        return 2;
    }
    std::FILE* in = std::fopen(argv[1], "r");
    if (in == nullptr) {
        std::printf("consumer: cannot open %s\n", argv[1]);
        return 2;
    }
    int line = 0, checked[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    bool ok = true;
    char name[64];
    while (std::fscanf(in, "%63s", name) == 1) {
        ++line;
        bool sample_ok = false;
        if (std::strcmp(name, "exported_float") == 0) {
            sample_ok = check_sample(exported_float::network, in, name, line);
            ++checked[0];
        } else if (std::strcmp(name, "exported_double") == 0) {
            sample_ok = check_sample(exported_double::network, in, name, line);
            ++checked[1];
        } else if (std::strcmp(name, "exported_large") == 0) {
            sample_ok = check_sample(exported_large::network, in, name, line);
            ++checked[2];
        } else if (std::strcmp(name, "exported_q_small") == 0) {
            sample_ok = check_quantized_sample(exported_q_small::network, in, name, line);
            ++checked[3];
        } else if (std::strcmp(name, "exported_q_large") == 0) {
            sample_ok = check_quantized_sample(exported_q_large::network, in, name, line);
            ++checked[4];
        } else if (std::strcmp(name, "exported_bf16") == 0) {
            sample_ok = check_sample(exported_bf16::network, in, name, line);
            ++checked[5];
        } else if (std::strcmp(name, "exported_bf16_large") == 0) {
            sample_ok = check_sample(exported_bf16_large::network, in, name, line);
            ++checked[6];
        } else if (std::strcmp(name, "exported_f16") == 0) {
            sample_ok = check_sample(exported_f16::network, in, name, line);
            ++checked[7];
        } else if (std::strcmp(name, "exported_f16_large") == 0) {
            sample_ok = check_sample(exported_f16_large::network, in, name, line);
            ++checked[8];
        } else {
            std::printf("consumer: line %d: unknown network '%s'\n", line, name);
        }
        if (!sample_ok) {
            ok = false;
            break;
        }
    }
    std::fclose(in);
    if (ok && std::find(std::begin(checked), std::end(checked), 0) != std::end(checked)) {
        std::printf("consumer: %s holds no samples for one of the networks\n", argv[1]);
        ok = false;
    }
    if (ok) {
        std::printf(
            "consumer: %d + %d + %d float, %d + %d quantized, %d + %d bfloat16 and %d + %d float16 samples match bit "
            "for "
            "bit\n",
            checked[0], checked[1], checked[2], checked[3], checked[4], checked[5], checked[6], checked[7], checked[8]);
    }
    return ok ? 0 : 1;
}
