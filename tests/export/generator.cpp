// The first step of the export test (tests/export/CMakeLists.txt): builds three random networks, exports each as a C++
// header with ctnn::io::export_header, and writes the outputs the in-memory networks give for a few inputs.
//
//   export_generator <directory>
//
// writes <directory>/exported_float.hpp (namespace exported_float), <directory>/exported_double.hpp (namespace
// exported_double), <directory>/exported_large.hpp (namespace exported_large: 109,386 parameters, which clang must
// build with its default constexpr limits) and <directory>/expected.txt, one line per sample: the network's name, its
// inputs, then its outputs, every value as a C hexadecimal floating-point number (exact). tests/export/consumer.cpp
// checks that the exported networks reproduce these outputs bit for bit.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#include <cstdio>
#include <filesystem>
#include <ratio>
#include <string>

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

template <class Net>
bool generate(const std::filesystem::path& directory, const char* name, std::uint64_t seed, std::FILE* expected) {
    using T = typename Net::value_type;
    static Net net;  // static: the large network does not belong on the stack
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(net, random);
    // Trained-looking PReLU slopes: the initial value would hide a slope written in the wrong place.
    for (std::size_t k = 0; k < Net::parameter_count; ++k) {
        if (net.parameter(k) == T(0.25)) net.set_parameter(k, random.uniform<T>(T(0.05), T(0.5)));
    }

    const ctnn::io::Status status = ctnn::io::export_header(net, directory / (std::string(name) + ".hpp"), name);
    if (!status) {
        std::fprintf(stderr, "export_generator: %s\n", status.message().c_str());
        return false;
    }
    for (int sample = 0; sample < 16; ++sample) {
        typename Net::input_type x;
        for (auto& v : x) v = random.normal<T>(T(0), T(2));
        const auto y = net.forward(x);
        std::fprintf(expected, "%s", name);
        for (T v : x) std::fprintf(expected, " %a", static_cast<double>(v));
        for (T v : y) std::fprintf(expected, " %a", static_cast<double>(v));
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
                    generate<LargeNet>(directory, "exported_large", 43, expected);
    const bool closed = std::fclose(expected) == 0;
    if (ok && closed) std::printf("export_generator: wrote the headers and expected.txt to %s\n", argv[1]);
    return ok && closed ? 0 : 1;
}
