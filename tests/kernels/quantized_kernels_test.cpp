// The int8 network's register-at-a-time steps (include/ctnn/quant/requantize_kernels.hpp, the input quantization of
// include/ctnn/quantized_network.hpp) and its batch forward, for the instruction set this file is compiled for
// (ctnn::simd::default_arch) and, in the baseline build, for ctnn::simd::scalar_arch:
// - requantize_values against each requantizer's scalar apply, plus the zero point, clamped, and against the
//   definition written out here (float(acc) x m rounded once, clamped to +-256, nearbyint): exact ties, both clamps,
//   ReLU's clamp at the zero point, accumulators up to the ends of int32 and products past 2^31 (which saturate),
//   lengths with and without a remainder past the last whole register;
// - store_quanta and quantize_values on every quantum;
// - QuantizedNetwork's batch forward against its one-sample forward, bit for bit, for every sample count from 1 to
//   20 and past its tile, on networks of every supported activation, with both requantizers.

#include "ctnn/ctnn.hpp"
#include "ctnn/quant/requantize_kernels.hpp"
#include "ctnn/quantized_network.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include "support/kernel_archs.hpp"
#include "support/random_network.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using ctnn_test::random_inputs;
using ctnn_test::random_network;

namespace simd = ctnn::simd;

using archs = ctnn_test::kernel_archs;

float rounded(float v) {  // one float operation's result, kept as such
    volatile float r = v;
    return r;
}

// QNNPACK's requantization written out: the float product rounded once, clamped to +-256 (any value beyond saturates
// every zero point), to the nearest integer with ties to even, plus the zero point, clamped to low .. 255.
long float_reference(std::int32_t acc, float multiplier, long zero_point, long low) {
    const float product = rounded(static_cast<float>(acc) * multiplier);
    const double q = std::nearbyint(std::clamp(static_cast<double>(product), -256.0, 256.0));
    return std::clamp(static_cast<long>(q) + zero_point, low, 255L);
}

struct Row {
    std::vector<std::int32_t> acc;
    std::vector<float> multipliers;
};

// Hard cases and random ones for the float requantizer: exact ties (k + 1/2 at multipliers that are powers of two),
// products at and past both clamps, int32's ends, products past 2^31, and random sums over the uint8 range.
Row hard_row() {
    Row r;
    const auto add = [&](std::int32_t acc, float m) {
        r.acc.push_back(acc);
        r.multipliers.push_back(m);
    };
    for (std::int32_t k = -600; k <= 600; ++k) add(2 * k + 1, 0.5f);  // every tie from -599.5 to 600.5
    for (std::int32_t k = -40; k <= 40; ++k) add(4 * k + 2, 0.25f);   // k + 1/2
    for (std::int32_t k = -40; k <= 40; ++k) add(k, 1.0f);            // exact integers
    add(std::numeric_limits<std::int32_t>::max(), 1.0f);              // past 2^31 as a float: saturates high
    add(std::numeric_limits<std::int32_t>::min(), 1.0f);
    add(std::numeric_limits<std::int32_t>::max(), 0x1p-23f);  // 256.0 exactly
    add(std::numeric_limits<std::int32_t>::min(), 0x1p-23f);  // -256.0
    add(std::numeric_limits<std::int32_t>::max(), 3.0f);      // 6.4e9: QNNPACK's SSE2 gives INT32_MIN here
    add(std::numeric_limits<std::int32_t>::max() - 127, 1.0f);
    add(1 << 30, 2.0f);  // exactly 2^31
    add(-(1 << 30), 2.0f);
    ctnn::Random random(31);
    for (int k = 0; k < 3000; ++k) {
        const float m = random.uniform<float>(1e-6f, 0.01f);
        add(static_cast<std::int32_t>(random.uniform<float>(-300.0f, 300.0f) / m), m);
    }
    for (int k = 0; k < 500; ++k) {
        add(static_cast<std::int32_t>(random()), random.uniform<float>(1e-9f, 1.0f));  // the whole int32 range
    }
    return r;
}

template <class Arch, class Requantizer, std::size_t N>
void check_requantize(const std::vector<std::int32_t>& acc,
                      const std::vector<typename Requantizer::multiplier_type>& multipliers, bool float_path) {
    std::size_t checked = 0;
    for (std::size_t first = 0; first + N <= acc.size(); first += N) {
        for (const auto& [zero_point, relu] : {std::pair{0, false}, std::pair{0, true}, std::pair{128, false},
                                               std::pair{128, true}, std::pair{255, false}, std::pair{37, true}}) {
            const std::int32_t low = relu ? zero_point : 0;
            std::array<std::uint8_t, N> got;
            ctnn::detail::requantize_values<Arch, Requantizer, N>(acc.data() + first, multipliers.data() + first,
                                                                  zero_point, low, got.data());
            for (std::size_t o = 0; o < N; ++o) {
                const std::int32_t a = acc[first + o];
                const auto want =
                    std::clamp(Requantizer::apply(a, multipliers[first + o]) + zero_point, low, std::int32_t{255});
                INFO(Arch::name() << ", N = " << N << ", acc " << a << ", zero point " << zero_point << ", low "
                                  << low);
                REQUIRE(long{got[o]} == long{want});
                if constexpr (std::is_same_v<Requantizer, ctnn::FloatRequantizer>) {
                    if (float_path)
                        REQUIRE(long{got[o]} == float_reference(a, multipliers[first + o], zero_point, low));
                }
                ++checked;
            }
        }
    }
    CHECK(checked > 0);
}

template <class Arch, class Requantizer>
void check_lengths(const std::vector<std::int32_t>& acc,
                   const std::vector<typename Requantizer::multiplier_type>& multipliers, bool float_path) {
    check_requantize<Arch, Requantizer, 1>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 3>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 8>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 10>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 16>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 17>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 64>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 128>(acc, multipliers, float_path);
    check_requantize<Arch, Requantizer, 71>(acc, multipliers, float_path);  // 32 at a time, a register, then one
}

using ctnn::Dense;
using ctnn::Input;
template <class Arch>
using Topologies = std::tuple<
    ctnn::BasicNetwork<Arch, float, Input<2>, Dense<16, ctnn::Tanh>, Dense<16, ctnn::Tanh>, Dense<1, ctnn::Sigmoid>>,
    ctnn::BasicNetwork<Arch, float, Input<64>, Dense<128, ctnn::ReLU>, Dense<128, ctnn::ReLU>,
                       Dense<10, ctnn::Softmax>>,
    ctnn::BasicNetwork<Arch, float, Input<33>, Dense<17, ctnn::Linear>, Dense<9, ctnn::Sigmoid>,
                       Dense<3, ctnn::Linear>>,
    ctnn::BasicNetwork<Arch, float, Input<5>, Dense<40, ctnn::ReLU>, Dense<7, ctnn::Tanh>, Dense<3, ctnn::Softmax>>>;

template <class Net, class Requantizer>
void check_batch(std::uint64_t seed) {
    using Q = ctnn::QuantizedNetwork<Net, Requantizer>;
    const auto net = random_network<Net>(seed);
    const auto calibration = random_inputs<Net>(64, -2.0f, 2.0f, seed + 1);
    const auto q = std::make_unique<Q>(ctnn::quantize<Requantizer>(*net, std::span(calibration)));
    // Inputs past the calibrated range too, so that the clamps are reached.
    const auto inputs = random_inputs<Net>(2 * Q::batch_tile + 23, -4.0f, 4.0f, seed + 2);
    std::vector<typename Net::output_type> one(inputs.size());
    for (std::size_t s = 0; s < inputs.size(); ++s) one[s] = q->forward(inputs[s]);
    std::vector<std::size_t> counts;
    for (std::size_t n = 1; n <= 20; ++n) counts.push_back(n);
    counts.push_back(Q::batch_tile - 1);
    counts.push_back(Q::batch_tile);
    counts.push_back(Q::batch_tile + 1);
    counts.push_back(inputs.size());
    for (const std::size_t n : counts) {
        // A batch that starts at an odd sample, so the samples sit at no particular alignment.
        const std::size_t first = n + 1 < inputs.size() ? 1 : 0;
        std::vector<typename Net::output_type> batch(n);
        q->forward(std::span(inputs).subspan(first, n), std::span(batch));
        for (std::size_t s = 0; s < n; ++s) {
            INFO(n << " samples, sample " << s);
            REQUIRE(batch[s] == one[first + s]);
        }
    }
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("requantize_values gives FloatRequantizer's quanta on ties, clamps and int32's ends",
                        "[quantized_kernels]", archs) {
    const Row r = hard_row();
    check_lengths<TestType, ctnn::FloatRequantizer>(r.acc, r.multipliers, true);
}

TEMPLATE_LIST_TEST_CASE("requantize_values gives FixedPointRequantizer's quanta on ties, clamps and int32's ends",
                        "[quantized_kernels]", archs) {
    using F = ctnn::FixedPointRequantizer;
    const Row r = hard_row();
    std::vector<F::multiplier_type> multipliers;
    for (const float m : r.multipliers) multipliers.push_back(F::multiplier(m, 1.0f, 1.0f));
    check_lengths<TestType, F>(r.acc, multipliers, false);
}

TEMPLATE_LIST_TEST_CASE("store_quanta and quantize_values give every quantum", "[quantized_kernels]", archs) {
    constexpr std::size_t lanes = simd::width<float, TestType>;
    for (std::size_t first = 0; first < 256; first += lanes) {
        alignas(64) std::array<float, lanes> values;
        for (std::size_t k = 0; k < lanes; ++k) values[k] = static_cast<float>((first + k) % 256);
        std::array<std::uint8_t, lanes> got;
        ctnn::detail::store_quanta<TestType>(simd::load<simd::vector_t<float, TestType>>(values.data()), got.data());
        for (std::size_t k = 0; k < lanes; ++k) REQUIRE(long{got[k]} == static_cast<long>((first + k) % 256));
    }
    // Inputs on every quantum and every tie between two, past both ends, at three zero points.
    for (const ctnn::QuantizationParams qparams :
         {ctnn::QuantizationParams{0.5f, 0}, ctnn::QuantizationParams{0.5f, 128},
          ctnn::QuantizationParams{0.25f, 255}}) {
        std::array<float, 1100> x;
        for (std::size_t k = 0; k < x.size(); ++k) x[k] = (static_cast<float>(k) - 550.0f) * 0.5f * qparams.scale;
        // Non-finite, huge, signed-zero and subnormal inputs, spread so that every path (32 at a time, a register
        // at a time, one at a time) meets them.
        constexpr float inf = std::numeric_limits<float>::infinity();
        const float specials[] = {std::numeric_limits<float>::quiet_NaN(),
                                  -std::numeric_limits<float>::quiet_NaN(),
                                  inf,
                                  -inf,
                                  3e38f,
                                  -3e38f,
                                  0x1p31f,
                                  -0x1p31f,
                                  -0.0f,
                                  1e-45f,
                                  -1e-45f};
        for (std::size_t k = 0; k < std::size(specials); ++k) {
            x[3 + 37 * k] = specials[k];
            x[x.size() - 1 - k] = specials[k];
        }
        std::array<std::uint8_t, 1100> q;
        ctnn::detail::quantize_values<TestType, 1100>(qparams, x.data(), q.data());
        for (std::size_t k = 0; k < x.size(); ++k) REQUIRE(q[k] == qparams.quantize(x[k]));
    }
}

TEMPLATE_LIST_TEST_CASE("QuantizedNetwork's batch forward equals its one-sample forward for every sample count",
                        "[quantized_kernels]", archs) {
    using Arch = TestType;
    std::uint64_t seed = 40;
    ctnn::detail::static_for<std::tuple_size_v<Topologies<Arch>>>([&](auto i) {
        using Net = std::tuple_element_t<i, Topologies<Arch>>;
        check_batch<Net, ctnn::FloatRequantizer>(seed += 10);
        check_batch<Net, ctnn::FixedPointRequantizer>(seed += 10);
    });
}
