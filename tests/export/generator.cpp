// The first step of the export test (tests/export/CMakeLists.txt): builds three random networks, exports each as a C++
// header with ctnn::io::export_header, and writes the outputs the in-memory networks give for a few inputs.
//
//   export_generator <directory>
//
// writes <directory>/exported_float.hpp (namespace exported_float), <directory>/exported_double.hpp (namespace
// exported_double), <directory>/exported_large.hpp (namespace exported_large: 109,386 parameters, which clang must
// build with its default constexpr limits), two quantized networks, exported_q_small.hpp (3-8-6-1 Tanh, Linear,
// Sigmoid; FixedPointRequantizer) and exported_q_large.hpp (784-128-64-10 ReLU, Softmax; FloatRequantizer), two
// networks of bfloat16 weights, exported_bf16.hpp (the float network of exported_float.hpp, other weights, rounded)
// and exported_bf16_large.hpp (784-128-64-10), two of binary16 weights likewise, exported_f16.hpp and
// exported_f16_large.hpp, and
// <directory>/expected.txt, one line per sample: the network's name, its inputs, then its outputs, every value as a C
// hexadecimal floating-point number (exact), and for a quantized network every quantum of forward_quanta (decimal).
// tests/export/consumer.cpp checks that the exported networks reproduce these outputs (and quanta) bit for bit.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <ratio>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace {

// The consumer checks that the headers declare exactly these types.
using FloatNet = ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<8, ctnn::PReLU>, ctnn::Dense<6, ctnn::Tanh>,
                               ctnn::Dense<4, ctnn::Softmax>>;
using DoubleNet =
    ctnn::Network<double, ctnn::Input<2>, ctnn::Dense<7, ctnn::LeakyReLU::with<std::ratio<1, 10>>>,
                  ctnn::Dense<5, ctnn::ELU::with<std::ratio<1, 2>>>, ctnn::Dense<4, ctnn::RReLU>,
                  ctnn::Dense<3, ctnn::Swish>, ctnn::Dense<3, ctnn::Softplus>, ctnn::Dense<1, ctnn::Sigmoid>>;

using LargeNet = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>, ctnn::Dense<64, ctnn::ReLU>,
                               ctnn::Dense<10, ctnn::Softmax>>;

/// Exports `Net` initialised from `seed` as `As<Net>`: the network itself, or its ctnn::BFloat16Network or
/// ctnn::Float16Network.
template <class Net, template <class> class As = std::type_identity_t>
bool generate(const std::filesystem::path& directory, const char* name, std::uint64_t seed, std::FILE* expected) {
    using T = typename Net::value_type;
    using Exported = As<Net>;
    static Net net;  // static: the large network does not belong on the stack
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(net, random);
    // Trained-looking PReLU slopes: the initial value would hide a slope written in the wrong place.
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        if (net.parameter(k) == T(0.25)) net.set_parameter(k, random.uniform<T>(T(0.05), T(0.5)));
    }

    static Exported exported;
    exported = Exported(net);
    const ctnn::io::Status status = ctnn::io::export_header(exported, directory / (std::string(name) + ".hpp"), name);
    if (!status) {
        std::fprintf(stderr, "export_generator: %s\n", status.message().c_str());
        return false;
    }
    for (int sample = 0; sample < 16; ++sample) {
        typename Net::input_type x;
        for (auto& v : x) v = random.normal<T>(T(0), T(2));
        const auto y = exported.forward(x);
        std::fprintf(expected, "%s", name);
        for (T v : x) std::fprintf(expected, " %a", static_cast<double>(v));
        for (T v : y) std::fprintf(expected, " %a", static_cast<double>(v));
        std::fprintf(expected, "\n");
    }
    return true;
}

// Quantized networks: the consumer checks every quantum of a pass, and the outputs, bit for bit.
using QuantizedSmall =
    ctnn::QuantizedNetwork<ctnn::Network<float, ctnn::Input<3>, ctnn::Dense<8, ctnn::Tanh>,
                                         ctnn::Dense<6, ctnn::Linear>, ctnn::Dense<1, ctnn::Sigmoid>>,
                           ctnn::FixedPointRequantizer>;
using QuantizedLarge = ctnn::QuantizedNetwork<LargeNet, ctnn::FloatRequantizer>;

template <class Q>
bool generate_quantized(const std::filesystem::path& directory, const char* name, std::uint64_t seed,
                        std::FILE* expected) {
    using Net = typename Q::network_type;
    static Net net;
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(net, random);
    std::vector<typename Net::input_type> calibration(64);
    for (auto& x : calibration) {
        for (float& v : x) v = random.normal<float>(0.0f, 2.0f);
    }
    static Q q;
    q = ctnn::quantize<typename Q::requantizer_type>(net, std::span<const typename Net::input_type>(calibration));
    const ctnn::io::Status status = ctnn::io::export_header(q, directory / (std::string(name) + ".hpp"), name);
    if (!status) {
        std::fprintf(stderr, "export_generator: %s\n", status.message().c_str());
        return false;
    }
    for (int sample = 0; sample < 16; ++sample) {
        typename Net::input_type x;
        // Some inputs far outside the calibration's range: the clamps and tables' ends.
        for (auto& v : x) v = random.normal<float>(0.0f, sample < 12 ? 2.0f : 30.0f);
        static std::array<std::uint8_t, Q::quanta_size> quanta;
        const auto y = q.forward_quanta(x, quanta);
        std::fprintf(expected, "%s", name);
        for (float v : x) std::fprintf(expected, " %a", static_cast<double>(v));
        for (float v : y) std::fprintf(expected, " %a", static_cast<double>(v));
        for (std::uint8_t v : quanta) std::fprintf(expected, " %u", static_cast<unsigned>(v));
        std::fprintf(expected, "\n");
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: export_generator <directory>\n");
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    std::FILE* expected = std::fopen((directory / "expected.txt").string().c_str(), "w");
    if (expected == nullptr) {
        std::fprintf(stderr, "export_generator: cannot write %s\n", (directory / "expected.txt").string().c_str());
        return 1;
    }
    const bool ok = generate<FloatNet>(directory, "exported_float", 41, expected) &&
                    generate<DoubleNet>(directory, "exported_double", 42, expected) &&
                    generate<LargeNet>(directory, "exported_large", 43, expected) &&
                    generate_quantized<QuantizedSmall>(directory, "exported_q_small", 44, expected) &&
                    generate_quantized<QuantizedLarge>(directory, "exported_q_large", 45, expected) &&
                    generate<FloatNet, ctnn::BFloat16Network>(directory, "exported_bf16", 46, expected) &&
                    generate<LargeNet, ctnn::BFloat16Network>(directory, "exported_bf16_large", 47, expected) &&
                    generate<FloatNet, ctnn::Float16Network>(directory, "exported_f16", 48, expected) &&
                    generate<LargeNet, ctnn::Float16Network>(directory, "exported_f16_large", 49, expected);
    const bool closed = std::fclose(expected) == 0;
    if (ok && closed) std::printf("export_generator: wrote the headers and expected.txt to %s\n", argv[1]);
    return ok && closed ? 0 : 1;
}
