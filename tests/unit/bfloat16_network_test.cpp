// ctnn::BFloat16Network (include/ctnn/bfloat16_network.hpp): its weights are the reference rounding of the float
// network's (support/bfloat16_reference.hpp), its sizes are what the layout says, and its forward passes, one sample
// and batched, are bit for bit those of the float network whose weights were rounded the same way, because the
// kernels are the same and the widening is exact. For every hidden activation family, every output unit, widths
// awkward for every register size, a layer wide enough for the kernels' panels, on the SIMD and the scalar kernels,
// which agree with each other up to summation order.

#include "ctnn/bfloat16_network.hpp"

#include "ctnn/bfloat16.hpp"
#include "ctnn/ctnn.hpp"
#include "ctnn/detail/static_for.hpp"

#include "support/bfloat16_reference.hpp"
#include "support/half_width_network_checks.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <ratio>
#include <tuple>

namespace {

using ctnn::Dense;
using ctnn::Input;
using ctnn_test::for_each_network;

template <class Arch>
using topologies = std::tuple<
    ctnn::BasicNetwork<Arch, float, Input<3>, Dense<7, ctnn::Tanh>, Dense<9, ctnn::ReLU>,
                       Dense<17, ctnn::PReLU::with<std::ratio<1, 10>>>, Dense<1, ctnn::Linear>>,
    ctnn::BasicNetwork<Arch, float, Input<9>, Dense<17, ctnn::PReLU>, Dense<3, ctnn::RReLU>, Dense<7, ctnn::Softmax>>,
    ctnn::BasicNetwork<Arch, float, Input<1>, Dense<33, ctnn::ELU>, Dense<7, ctnn::Swish>, Dense<3, ctnn::Sigmoid>>,
    ctnn::BasicNetwork<Arch, float, Input<17>, Dense<9, ctnn::Softplus>, Dense<33, ctnn::LeakyReLU>,
                       Dense<1, ctnn::Sigmoid>>,
    ctnn::BasicNetwork<Arch, float, Input<7>, Dense<3, ctnn::Abs>, Dense<17, ctnn::BinaryStep>, Dense<9, ctnn::Linear>,
                       Dense<3, ctnn::Linear>>,
    // More output registers than the one-sample kernel's accumulators (136 floats: 17 AVX2 registers).
    ctnn::BasicNetwork<Arch, float, Input<64>, Dense<136, ctnn::Tanh>, Dense<10, ctnn::Softmax>>,
    // Weights past L1: both kernels go panel by panel of rows, with a shorter last panel.
    ctnn::BasicNetwork<Arch, float, Input<784>, Dense<128, ctnn::ReLU>, Dense<64, ctnn::ReLU>,
                       Dense<10, ctnn::Softmax>>>;

}  // namespace

TEST_CASE("BFloat16Network computes the float network of its rounded weights, bit for bit", "[bfloat16][network]") {
    SECTION("default architecture") {
        for_each_network<topologies<ctnn::simd::default_arch>>([](auto net) {
            ctnn_test::check_network<ctnn::BFloat16Network, typename decltype(net)::type>(
                ctnn_test::reference_bfloat16);
        });
    }
    SECTION("scalar_arch") {
        for_each_network<topologies<ctnn::simd::scalar_arch>>([](auto net) {
            ctnn_test::check_network<ctnn::BFloat16Network, typename decltype(net)::type>(
                ctnn_test::reference_bfloat16);
        });
    }
}

TEST_CASE("BFloat16Network's SIMD and scalar kernels agree", "[bfloat16][network]") {
    constexpr std::size_t count = std::tuple_size_v<topologies<ctnn::simd::default_arch>>;
    ctnn::detail::static_for<count>([](auto i) {
        ctnn_test::check_agreement<ctnn::BFloat16Network, std::tuple_element_t<i, topologies<ctnn::simd::default_arch>>,
                                   std::tuple_element_t<i, topologies<ctnn::simd::scalar_arch>>>();
    });
}

TEST_CASE("A default BFloat16Network is the rounded default network", "[bfloat16][network]") {
    using Net = ctnn::Network<float, Input<5>, Dense<9, ctnn::PReLU::with<std::ratio<1, 4>>>, Dense<2, ctnn::Linear>>;
    const ctnn::BFloat16Network<Net> bf16;
    CHECK(bf16.to_float() == Net{});
    const Net::input_type x{1, -2, 3, -4, 5};
    CHECK(bf16.forward(x) == Net{}.forward(x));
    // to_bfloat16 is the constructor.
    const Net net;
    CHECK(ctnn::to_bfloat16(net) == bf16);
}
