// The seed weights files of the weights fuzz target, as ctnn saves them: for every network of weights_networks.hpp,
// valid-<name>.ctnn (plain parameters) and valid-<name>-specials.ctnn (NaN, infinities, -0, a subnormal, the largest
// value first; for a quantized network the extreme zero points, weights, biases and scales; for a network of bfloat16
// or binary16 weights NaN patterns, infinities, -0, subnormals and the largest value among the weights and the float
// parameters); and for a quantized network that keeps no weight scales (FixedPointRequantizer), which saves format
// version 2, valid-<name>-version-1.ctnn, the plain parameters in version 1, with the scales its multipliers come from.
//
//   ctnn_fuzz_weights_seeds --write DIR   writes them (after a change of the file format)
//   ctnn_fuzz_weights_seeds --check DIR   exits 1 unless DIR holds them, byte for byte (the CTest test)

#include <ctnn/io/quantized_weights.hpp>
#include <ctnn/io/weights.hpp>
#include <ctnn/io/weights16.hpp>

#include "fuzz/weights_networks.hpp"
#include "support/quantized_weights_v1.hpp"

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    const bool write = argc == 3 && std::strcmp(argv[1], "--write") == 0;
    const bool check = argc == 3 && std::strcmp(argv[1], "--check") == 0;
    if (!write && !check) {
        std::fprintf(stderr, "usage: %s --write|--check DIR\n", argv[0]);
        return 2;
    }
    const fs::path dir = argv[2];
    int failures = 0;
    const auto seed = [&](const std::string& name, const std::vector<std::byte>& bytes) {
        const fs::path path = dir / ("valid-" + name + ".ctnn");
        if (write) {
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
            out.close();
            if (out.fail()) {
                std::fprintf(stderr, "%s: cannot write\n", path.string().c_str());
                ++failures;
            }
            return;
        }
        std::ifstream in(path, std::ios::binary);
        const std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (chars.size() != bytes.size() || std::memcmp(chars.data(), bytes.data(), bytes.size()) != 0) {
            std::fprintf(stderr, "%s: missing or not what ctnn saves today; regenerate with %s --write %s\n",
                         path.string().c_str(), argv[0], dir.string().c_str());
            ++failures;
        }
    };
    ctnn_fuzz::for_each_weights_network([&]<class Net>(ctnn_fuzz::named_network<Net> n) {
        seed(std::string(n.name), ctnn::io::to_weights_bytes(ctnn_fuzz::patterned_network<Net>(0.0f, false)));
        seed(std::string(n.name) + "-specials",
             ctnn::io::to_weights_bytes(ctnn_fuzz::patterned_network<Net>(0.0f, true)));
        if constexpr (ctnn::io::QuantizedNetworkType<Net>) {
            if constexpr (!Net::template layer_type<0>::has_weight_scales) {
                seed(std::string(n.name) + "-version-1",
                     ctnn_test::version_1_weights_bytes(
                         ctnn_fuzz::patterned_network<Net>(0.0f, false),
                         [](auto, std::size_t o) { return ctnn_fuzz::patterned_weight_scale(o, 0.0f); }));
            }
        }
    });
    return failures == 0 ? 0 : 1;
}
