// A quantized network saved and loaded in a program compiled at -O2 (tests/CMakeLists.txt sets it for this file), the
// shape in which GCC 12 once warned in ctnn's writer (-Wstringop-overflow, a false positive on a range insert into a
// vector the caller had reserved) when a program saves one network type only, so that the writer is inlined into
// its one caller. With the project's -Werror such a warning fails the build. The file and the bytes read back bit for
// bit.

#include "ctnn/ctnn.hpp"
#include "ctnn/io/quantized_weights.hpp"
#include "ctnn/quantized_network.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace {

using Net = ctnn::Network<float, ctnn::Input<8>, ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<16, ctnn::Tanh>,
                          ctnn::Dense<3, ctnn::Softmax>>;
using Quantized = ctnn::QuantizedNetwork<Net>;

}  // namespace

TEST_CASE("A quantized network saved at -O2 loads back bit for bit", "[weights][io][quantized_network]") {
    auto net = std::make_unique<Net>();
    ctnn::Random random(3);
    ctnn::init::normal_inverse_fan_in(*net, random);
    std::vector<Net::input_type> inputs(64);
    for (auto& x : inputs) {
        for (float& v : x) v = random.normal<float>();
    }
    const auto q = std::make_unique<Quantized>(ctnn::quantize(*net, std::span<const Net::input_type>(inputs)));

    const std::filesystem::path path = std::filesystem::temp_directory_path() / "ctnn_weights_o2_test.ctnn";
    REQUIRE(ctnn::io::save(*q, path).ok());
    auto loaded = std::make_unique<Quantized>();
    REQUIRE(ctnn::io::load(*loaded, path).ok());
    CHECK(*loaded == *q);
    std::filesystem::remove(path);
}
