// The host half of tools/int8-instructions' forward-pass counts: a 784-128-64-10 network (ReLU, ReLU, Softmax; the
// shape of an MNIST classifier) with He-normal weights, quantized after calibration on 256 inputs uniform in [0, 1]
// (pixel intensities), exported three times:
//
//   instructions_generator <directory>
//
// writes large_float.hpp (namespace large_float: the float network), large_q_float.hpp (large_q_float: quantized
// with FloatRequantizer) and large_q_fixed.hpp (large_q_fixed: FixedPointRequantizer). The counts do not depend on
// the values (no branch of the passes does, beyond ReLU's and the clamps' selects), so untrained weights serve.

#include <ctnn/ctnn.hpp>
#include <ctnn/io/export.hpp>

#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace {

using Large = ctnn::Network<float, ctnn::Input<784>, ctnn::Dense<128, ctnn::ReLU>, ctnn::Dense<64, ctnn::ReLU>,
                            ctnn::Dense<10, ctnn::Softmax>>;

bool write(const auto& net, const std::filesystem::path& directory, const char* name) {
    const ctnn::io::Status status = ctnn::io::export_header(net, directory / (std::string(name) + ".hpp"), name);
    if (!status) std::fprintf(stderr, "instructions_generator: %s\n", status.message().c_str());
    return static_cast<bool>(status);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: instructions_generator <directory>\n");
        return 2;
    }
    const std::filesystem::path directory = argv[1];
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    static Large net;
    ctnn::Random random(784);
    ctnn::init::he_normal(net, random);
    std::vector<Large::input_type> calibration(256);
    for (auto& x : calibration) {
        for (float& v : x) v = random.uniform<float>(0.0f, 1.0f);
    }
    const std::span<const Large::input_type> inputs(calibration);
    static const auto q_float = ctnn::quantize<ctnn::FloatRequantizer>(net, inputs);
    static const auto q_fixed = ctnn::quantize<ctnn::FixedPointRequantizer>(net, inputs);
    const bool ok = write(net, directory, "large_float") && write(q_float, directory, "large_q_float") &&
                    write(q_fixed, directory, "large_q_fixed");
    return ok ? 0 : 1;
}
