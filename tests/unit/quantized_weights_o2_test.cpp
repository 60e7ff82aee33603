// Quantized networks saved and loaded in a program compiled at -O2 (tests/CMakeLists.txt sets it for this file), the
// shape in which GCC 12 once warned in ctnn's writer (-Wstringop-overflow, a false positive on a range insert into a
// vector the caller had reserved) when a program saves one network type only, so that the writer is inlined into
// its one caller, and in the loader of a fixed-point network (the same warning on the assignment of a vector of
// weight scales that a version-2 file leaves empty). With the project's -Werror such a warning fails the build. Both
// requantizers; the file and the bytes read back bit for bit.

#include "ctnn/ctnn.hpp"
#include "ctnn/io/quantized_weights.hpp"
#include "ctnn/quantized_network.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

namespace {

using Net = ctnn::Network<float, ctnn::Input<8>, ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<16, ctnn::Tanh>,
                          ctnn::Dense<3, ctnn::Softmax>>;
// The shape in which the fixed-point loader warned: two layers, the last of 3 units.
using SmallNet = ctnn::Network<float, ctnn::Input<4>, ctnn::Dense<16, ctnn::ReLU>, ctnn::Dense<3, ctnn::Softmax>>;

template <class N, class Requantizer>
void check_round_trip(std::uint64_t seed) {
    using Quantized = ctnn::QuantizedNetwork<N, Requantizer>;
    auto net = std::make_unique<N>();
    ctnn::Random random(seed);
    ctnn::init::normal_inverse_fan_in(*net, random);
    std::vector<typename N::input_type> inputs(64);
    for (auto& x : inputs) {
        for (float& v : x) v = random.normal<float>();
    }
    const auto q =
        std::make_unique<Quantized>(ctnn::quantize<Requantizer>(*net, std::span<const typename N::input_type>(inputs)));

    const std::filesystem::path path = std::filesystem::temp_directory_path() / "ctnn_weights_o2_test.ctnn";
    REQUIRE(ctnn::io::save(*q, path).ok());
    auto loaded = std::make_unique<Quantized>();
    REQUIRE(ctnn::io::load(*loaded, path).ok());
    CHECK(*loaded == *q);
    if constexpr (sizeof(Quantized) <= 4096) {  // a small one also into a network on the stack, as programs do
        Quantized on_stack;
        REQUIRE(ctnn::io::load(on_stack, path).ok());
        CHECK(on_stack == *q);
    }
    std::filesystem::remove(path);
}

}  // namespace

TEMPLATE_TEST_CASE("A quantized network saved at -O2 loads back bit for bit", "[weights][io][quantized_network]",
                   ctnn::FloatRequantizer, ctnn::FixedPointRequantizer) {
    check_round_trip<Net, TestType>(3);
    check_round_trip<SmallNet, TestType>(5);
}
