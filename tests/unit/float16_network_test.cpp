// ctnn::Float16Network (include/ctnn/float16_network.hpp): its weights are the reference rounding of the float
// network's to binary16 (support/float16_reference.hpp, long double arithmetic from the definition), its sizes are what
// the layout says, and its forward passes, one sample and batched, are bit for bit those of the float network whose
// weights were rounded the same way, because the kernels are the same and the widening is exact. For every hidden
// activation family, one-output layers (the row kernel) inside and at the end, widths awkward for every register size,
// a layer wide enough for the kernels' panels, weights in binary16's subnormal range, on the SIMD and the scalar
// kernels, which agree with each other up to summation order. Built twice: in ctnn_unit_tests (the portable widening
// unless the compiler targets F16C) and in kernels_f16c (VCVTPH2PS, tests/CMakeLists.txt).

#include "ctnn/float16_network.hpp"

#include "ctnn/ctnn.hpp"
#include "ctnn/detail/static_for.hpp"

#include "support/float16_reference.hpp"
#include "support/half_width_network_checks.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <memory>
#include <ratio>
#include <tuple>
#include <vector>

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
    // One-output layers (a row of weights, simd::row_affine) inside the network and alone, with In not a multiple of
    // any register's width.
    ctnn::BasicNetwork<Arch, float, Input<5>, Dense<1, ctnn::Tanh>, Dense<13, ctnn::ReLU>, Dense<1, ctnn::Linear>>,
    ctnn::BasicNetwork<Arch, float, Input<33>, Dense<1, ctnn::Sigmoid>>,
    // More output registers than the one-sample kernel's accumulators (136 floats: 17 AVX2 registers).
    ctnn::BasicNetwork<Arch, float, Input<64>, Dense<136, ctnn::Tanh>, Dense<10, ctnn::Softmax>>,
    // Weights past L1: both kernels go panel by panel of rows, with a shorter last panel.
    ctnn::BasicNetwork<Arch, float, Input<784>, Dense<128, ctnn::ReLU>, Dense<64, ctnn::ReLU>,
                       Dense<10, ctnn::Softmax>>>;

/// Float16Network over weights one in seven of them tiny (random_parameters): the stored weights that are binary16
/// subnormals (nonzero, below 2^-14).
template <class Net>
std::size_t subnormal_weights() {
    ctnn::Random random(20261130);
    const std::vector<float> p = ctnn_test::random_parameters<Net>(random, true);
    const auto half = std::make_unique<ctnn::Float16Network<Net>>(*ctnn_test::network_of<Net>(p));
    const std::vector<float> stored = ctnn_test::parameters_of(*std::make_unique<Net>(half->to_float()));
    std::size_t subnormal = 0;
    ctnn_test::for_each_layer<Net>([&](std::size_t first, std::size_t weights, std::size_t) {
        for (std::size_t k = first; k < first + weights; ++k)
            subnormal += stored[k] != 0 && std::fabs(stored[k]) < 0x1p-14f;
    });
    return subnormal;
}

}  // namespace

TEST_CASE("Float16Network computes the float network of its rounded weights, bit for bit", "[float16][network]") {
    // One weight in seven tiny: binary16 subnormals, which the widening must keep.
    SECTION("default architecture") {
        for_each_network<topologies<ctnn::simd::default_arch>>([](auto net) {
            ctnn_test::check_network<ctnn::Float16Network, typename decltype(net)::type>(ctnn_test::reference_float16,
                                                                                         true);
        });
    }
#if !defined(__FMA__)
    // The scalar kernels' a * b + c (simd::fma on scalars) is contracted at the compiler's choice where the target has
    // FMA, so two instantiations (float and binary16 weights) may round differently there: with -mfma, 17-9-33-1's
    // batch of 5 differed in one output by an ulp. Compared bit for bit in the builds without FMA (ctnn_unit_tests);
    // the agreement test below still covers the scalar kernels here.
    SECTION("scalar_arch") {
        for_each_network<topologies<ctnn::simd::scalar_arch>>([](auto net) {
            ctnn_test::check_network<ctnn::Float16Network, typename decltype(net)::type>(ctnn_test::reference_float16,
                                                                                         true);
        });
    }
#endif
}

TEST_CASE("Float16Network keeps weights in binary16's subnormal range", "[float16][network]") {
    using Net = std::tuple_element_t<0, topologies<ctnn::simd::default_arch>>;
    CHECK(subnormal_weights<Net>() > 0);
}

TEST_CASE("Float16Network's SIMD and scalar kernels agree", "[float16][network]") {
    constexpr std::size_t count = std::tuple_size_v<topologies<ctnn::simd::default_arch>>;
    ctnn::detail::static_for<count>([](auto i) {
        ctnn_test::check_agreement<ctnn::Float16Network, std::tuple_element_t<i, topologies<ctnn::simd::default_arch>>,
                                   std::tuple_element_t<i, topologies<ctnn::simd::scalar_arch>>>(true);
    });
}

TEST_CASE("A default Float16Network is the rounded default network", "[float16][network]") {
    using Net = ctnn::Network<float, Input<5>, Dense<9, ctnn::PReLU::with<std::ratio<1, 4>>>, Dense<2, ctnn::Linear>>;
    const ctnn::Float16Network<Net> f16;
    CHECK(f16.to_float() == Net{});
    const Net::input_type x{1, -2, 3, -4, 5};
    CHECK(f16.forward(x) == Net{}.forward(x));
    // to_float16 is the constructor.
    const Net net;
    CHECK(ctnn::to_float16(net) == f16);
}
