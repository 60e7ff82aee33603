// The building blocks of int8 quantization (include/ctnn/quant/): the rounding, a tensor's qparams, the observers and
// the requantization, each against std::nearbyint (C's round-to-nearest-even in the default rounding mode) and the
// formulas of PyTorch's observer.py written out here, on exact ties, both clamps, non-finite values and random values.

#include "ctnn/quant/observer.hpp"
#include "ctnn/quant/qparams.hpp"
#include "ctnn/quant/requantize.hpp"
#include "ctnn/quantized_network.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

float rounded(float v) {  // one float operation's result, kept as such
    volatile float r = v;
    return r;
}

long nearest_clamped(float v, long lo, long hi) {
    return static_cast<long>(
        std::clamp(std::nearbyint(static_cast<double>(v)), static_cast<double>(lo), static_cast<double>(hi)));
}

}  // namespace

TEST_CASE("round_half_even rounds ties to even and agrees with nearbyint", "[quantization]") {
    using ctnn::detail::round_half_even;
    CHECK(round_half_even(0.5f) == 0.0f);
    CHECK(round_half_even(1.5f) == 2.0f);
    CHECK(round_half_even(2.5f) == 2.0f);
    CHECK(round_half_even(-0.5f) == 0.0f);
    CHECK(round_half_even(-1.5f) == -2.0f);
    CHECK(round_half_even(-2.5f) == -2.0f);
    CHECK(round_half_even(0.49999997f) == 0.0f);
    CHECK(round_half_even(4194303.5f) == 4194304.0f);  // 2^22 - 0.5
    CHECK(round_half_even(-4194304.0f) == -4194304.0f);
    ctnn::Random random(11);
    for (int k = 0; k < 100000; ++k) {
        const float v = random.uniform<float>(-4194304.0f, 4194304.0f) / static_cast<float>(1 << (k % 20));
        REQUIRE(round_half_even(v) == std::nearbyint(v));
    }
    using ctnn::detail::round_to_int32;
    CHECK(round_to_int32(2.5f) == 2);
    CHECK(round_to_int32(3e9f) == std::numeric_limits<std::int32_t>::max());
    CHECK(round_to_int32(-3e9f) == std::numeric_limits<std::int32_t>::min());
    CHECK(round_to_int32(std::numeric_limits<float>::infinity()) == std::numeric_limits<std::int32_t>::max());
    CHECK(round_to_int32(std::numeric_limits<float>::quiet_NaN()) == std::numeric_limits<std::int32_t>::min());
    CHECK(round_to_int32(16777217.0f) == 16777216);  // beyond 2^23: the float itself
    CHECK(round_to_int32(-2147483520.0f) == -2147483520);
}

TEST_CASE("QuantizationParams::quantize is PyTorch's quantize_val: x times the float inverse, ties to even, clamped",
          "[quantization]") {
    const ctnn::QuantizationParams q{0.25f, 10};  // 1 / 0.25 is exact: every (k + 1/2) / 4 is a tie
    CHECK(q.quantize(0.125f) == 10);              // 0.5 -> 0
    CHECK(q.quantize(0.375f) == 12);              // 1.5 -> 2
    CHECK(q.quantize(0.625f) == 12);              // 2.5 -> 2
    CHECK(q.quantize(-0.375f) == 8);              // -1.5 -> -2
    CHECK(q.quantize(-2.5f) == 0);                // -10 + 10
    CHECK(q.quantize(-2.625f) == 0);              // clamped
    CHECK(q.quantize(61.25f) == 255);             // 245 + 10
    CHECK(q.quantize(1e30f) == 255);
    CHECK(q.quantize(std::numeric_limits<float>::infinity()) == 255);
    CHECK(q.quantize(-std::numeric_limits<float>::infinity()) == 0);
    CHECK(q.quantize(std::numeric_limits<float>::quiet_NaN()) == 0);
    CHECK(q.dequantize(12) == 0.5f);
    CHECK(q.dequantize(0) == -2.5f);
    ctnn::Random random(12);
    for (int k = 0; k < 20000; ++k) {
        const ctnn::QuantizationParams p{random.uniform<float>(1e-4f, 2.0f), static_cast<std::int32_t>(k % 256)};
        const float x = random.uniform<float>(-300.0f, 300.0f) * p.scale;
        const float inverse = rounded(1.0f / p.scale);
        REQUIRE(p.quantize(x) ==
                nearest_clamped(rounded(x * inverse), -p.zero_point, 255 - p.zero_point) + p.zero_point);
        const auto quantum = static_cast<std::uint8_t>(k % 256);
        REQUIRE(p.dequantize(quantum) ==
                static_cast<float>(static_cast<double>(quantum - p.zero_point) * static_cast<double>(p.scale)));
    }
}

TEST_CASE("A network's input is quantized a register at a time to exactly QuantizationParams::quantize's quanta",
          "[quantization]") {
    // Special values, ties, the clamps' edges, and random values over the range and past it; lengths that leave no
    // register, one, and a remainder, for the SIMD arch and the scalar one.
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    ctnn::Random random(41);
    for (const ctnn::QuantizationParams qparams :
         {ctnn::QuantizationParams{0.02f, 0}, ctnn::QuantizationParams{0.02f, 255},
          ctnn::QuantizationParams{0.0137f, 117}, ctnn::QuantizationParams{3.5f, 9}}) {
        std::vector<float> x = {0.0f,
                                -0.0f,
                                nan,
                                inf,
                                -inf,
                                1e30f,
                                -1e30f,
                                0.5f * qparams.scale,
                                1.5f * qparams.scale,
                                -0.5f * qparams.scale,
                                -2.5f * qparams.scale,
                                256 * qparams.scale,
                                -256 * qparams.scale,
                                255.5f * qparams.scale,
                                std::numeric_limits<float>::denorm_min()};
        for (int k = 0; k < 200; ++k) x.push_back(random.uniform<float>(-300.0f, 300.0f) * qparams.scale);
        REQUIRE(x.size() == 215);
        auto check = [&]<std::size_t N>() {
            std::vector<std::uint8_t> simd_quanta(N), scalar_quanta(N);
            ctnn::detail::quantize_values<ctnn::simd::default_arch, N>(qparams, x.data(), simd_quanta.data());
            ctnn::detail::quantize_values<ctnn::simd::scalar_arch, N>(qparams, x.data(), scalar_quanta.data());
            for (std::size_t k = 0; k < N; ++k) {
                INFO("scale " << qparams.scale << ", zero point " << qparams.zero_point << ", x = " << x[k]);
                CHECK(simd_quanta[k] == qparams.quantize(x[k]));
                CHECK(scalar_quanta[k] == qparams.quantize(x[k]));
            }
        };
        check.template operator()<3>();
        check.template operator()<16>();
        check.template operator()<17>();
        check.template operator()<215>();
    }
}

TEST_CASE("MinMaxObserver gives PyTorch's quint8 qparams: the range holds 0, zero points 0 to 255, eps floor",
          "[quantization]") {
    ctnn::MinMaxObserver fresh;
    CHECK_FALSE(fresh.observed());
    CHECK(fresh.finite());

    SECTION("a range across zero") {
        ctnn::MinMaxObserver o;
        const std::vector<float> values{0.5f, -1.0f, 3.0f, 2.0f};
        o.observe(values);
        CHECK(o.min_value() == -1.0f);
        CHECK(o.max_value() == 3.0f);
        const auto q = o.qparams();
        CHECK(q.scale == 4.0f / 255.0f);
        CHECK(q.zero_point == 64);  // -round(-1 / (4/255)) = round(63.75)
    }
    SECTION("all positive: zero point 0; all negative: zero point 255") {
        ctnn::MinMaxObserver positive, negative;
        positive.observe(std::vector<float>{2.0f, 5.1f});
        negative.observe(std::vector<float>{-2.0f, -5.1f});
        CHECK(positive.qparams().scale == 5.1f / 255.0f);
        CHECK(positive.qparams().zero_point == 0);
        CHECK(negative.qparams().scale == 5.1f / 255.0f);
        CHECK(negative.qparams().zero_point == 255);
    }
    SECTION("only zeros: scale eps") {
        ctnn::MinMaxObserver o;
        o.observe(0.0f);
        CHECK(o.qparams().scale == 0x1p-23f);
        CHECK(o.qparams().zero_point == 0);
    }
    SECTION("a NaN or an infinity is remembered") {
        ctnn::MinMaxObserver o;
        o.observe(1.0f);
        o.observe(std::numeric_limits<float>::quiet_NaN());
        o.observe(2.0f);
        CHECK_FALSE(o.finite());
        ctnn::MinMaxObserver i;
        i.observe(-std::numeric_limits<float>::infinity());
        CHECK_FALSE(i.finite());
    }
    SECTION("random ranges against observer.py's formula") {
        ctnn::Random random(13);
        for (int k = 0; k < 20000; ++k) {
            float lo = random.uniform<float>(-10.0f, 10.0f), hi = random.uniform<float>(-10.0f, 10.0f);
            if (lo > hi) std::swap(lo, hi);
            ctnn::MinMaxObserver o;
            o.observe(lo);
            o.observe(hi);
            const float min_neg = std::min(lo, 0.0f), max_pos = std::max(hi, 0.0f);
            const float scale = std::max(rounded(rounded(max_pos - min_neg) / 255.0f), 0x1p-23f);
            const long zero_point = std::clamp(-nearest_clamped(rounded(min_neg / scale), -1000, 1000), 0L, 255L);
            REQUIRE(o.qparams().scale == scale);
            REQUIRE(o.qparams().zero_point == zero_point);
        }
    }
}

TEST_CASE("Weights: per-channel symmetric scale amax / 127.5, quanta from -128 to 127", "[quantization]") {
    CHECK(ctnn::symmetric_weight_scale(0.0f) == 0x1p-23f);
    CHECK(ctnn::symmetric_weight_scale(127.5f) == 1.0f);
    CHECK(ctnn::quantize_weight(127.5f, 1.0f) == 127);  // 128 (a tie to even), clamped
    CHECK(ctnn::quantize_weight(-127.5f, 1.0f) == -128);
    CHECK(ctnn::quantize_weight(-126.5f, 1.0f) == -126);
    CHECK(ctnn::quantize_weight(1e30f, 1.0f) == 127);
    CHECK(ctnn::quantize_weight(-std::numeric_limits<float>::infinity(), 1.0f) == -128);
    ctnn::Random random(14);
    int at_minus_128 = 0;
    for (int k = 0; k < 20000; ++k) {
        const float amax = random.uniform<float>(1e-3f, 10.0f);
        const float scale = ctnn::symmetric_weight_scale(amax);
        REQUIRE(scale == rounded(amax / 127.5f));
        const float inverse = rounded(1.0f / scale);
        for (const float w : {-amax, amax, random.uniform<float>(-amax, amax)}) {
            const auto q = ctnn::quantize_weight(w, scale);
            REQUIRE(q == nearest_clamped(rounded(w * inverse), -128, 127));
            at_minus_128 += q == -128;
        }
    }
    CHECK(at_minus_128 > 0);  // the negative end reaches -128 whenever -amax / scale rounds to -127.5 or below
}

TEST_CASE("FloatRequantizer is QNNPACK's: float(acc) times a float multiplier, ties to even, saturated",
          "[quantization]") {
    using R = ctnn::FloatRequantizer;
    CHECK(R::apply(3, 0.5f) == 2);
    CHECK(R::apply(5, 0.5f) == 2);
    CHECK(R::apply(-3, 0.5f) == -2);
    CHECK(R::apply(-5, 0.5f) == -2);
    CHECK(R::apply(std::numeric_limits<std::int32_t>::max(), 1.0f) == 256);
    CHECK(R::apply(std::numeric_limits<std::int32_t>::min(), 1.0f) == -256);
    CHECK(R::multiplier(0.5f, 0.25f, 0.125f) == 1.0f);
    ctnn::Random random(15);
    for (int k = 0; k < 100000; ++k) {
        const float m = random.uniform<float>(1e-6f, 0.1f);
        const auto acc = static_cast<std::int32_t>(random.uniform<float>(-3e6f, 3e6f));
        const float product = rounded(static_cast<float>(acc) * m);
        REQUIRE(R::apply(acc, m) == nearest_clamped(product, -256, 256));
        const float s_in = random.uniform<float>(1e-3f, 1.0f), s_w = random.uniform<float>(1e-3f, 1.0f),
                    s_out = random.uniform<float>(1e-3f, 1.0f);
        REQUIRE(R::multiplier(s_in, s_w, s_out) == rounded(rounded(s_w * s_in) * rounded(1.0f / s_out)));
    }
}

TEST_CASE("FixedPointRequantizer is TFLite's Q0.31 multiplier and shift, within one quantum of the float path",
          "[quantization]") {
    using F = ctnn::FixedPointRequantizer;
    SECTION("the multiplier: q in [2^30, 2^31), q 2^(shift - 31) the real multiplier to 31 bits") {
        CHECK(F::multiplier(0.5f, 0.25f, 0.125f) == F::multiplier_type{1 << 30, 1});  // 1 = 2^30 2^(1 - 31)
        CHECK(F::multiplier(1.0f, 0x1p-40f, 1.0f) == F::multiplier_type{});           // below 2^-31: 0
        ctnn::Random random(17);
        for (int k = 0; k < 20000; ++k) {
            const float s_in = random.uniform<float>(1e-4f, 1.0f), s_w = random.uniform<float>(1e-4f, 1.0f),
                        s_out = random.uniform<float>(1e-4f, 1.0f);
            const auto m = F::multiplier(s_in, s_w, s_out);
            const double real = double{s_in} * double{s_w} / double{s_out};
            REQUIRE(m.multiplier >= (1 << 30));
            const double represented = std::ldexp(static_cast<double>(m.multiplier), m.shift - 31);
            REQUIRE(std::fabs(represented - real) <= std::ldexp(real, -31));
        }
    }
    SECTION("ties: the doubling high product rounds half up, the division by a power of two half away from 0") {
        const auto half = F::multiplier(0.5f, 1.0f, 1.0f);  // q = 2^30, shift 0: the high product alone
        CHECK(F::apply(3, half) == 2);
        CHECK(F::apply(5, half) == 3);
        CHECK(F::apply(-3, half) == -1);
        CHECK(F::apply(-5, half) == -2);
        const auto quarter = F::multiplier(0.25f, 1.0f, 1.0f);  // q = 2^30, shift -1: exact products, then / 2
        CHECK(F::apply(6, quarter) == 2);
        CHECK(F::apply(-6, quarter) == -2);
        CHECK(F::apply(-2, quarter) == -1);
        CHECK(F::apply(std::numeric_limits<std::int32_t>::max(), F::multiplier(1.0f, 1.0f, 1.0f)) == 256);
        CHECK(F::apply(std::numeric_limits<std::int32_t>::min(), F::multiplier(1.0f, 1.0f, 1.0f)) == -256);
        CHECK(F::apply(1 << 20, F::multiplier(1.0f, 1.0f, 0x1p-20f)) == 256);  // x 2^20 saturates
    }
    SECTION("random sums and scales: at most one quantum from FloatRequantizer") {
        ctnn::Random random(18);
        int differ = 0;
        for (int k = 0; k < 200000; ++k) {
            const float s_in = random.uniform<float>(1e-3f, 0.1f), s_w = random.uniform<float>(1e-4f, 0.05f),
                        s_out = random.uniform<float>(1e-3f, 1.0f);
            // Sums whose requantized values span the uint8 range and beyond.
            const float real = s_in * s_w / s_out;
            const auto acc = static_cast<std::int32_t>(random.uniform<float>(-300.0f, 300.0f) / real);
            const std::int32_t a =
                ctnn::FloatRequantizer::apply(acc, ctnn::FloatRequantizer::multiplier(s_in, s_w, s_out));
            const std::int32_t b = F::apply(acc, F::multiplier(s_in, s_w, s_out));
            REQUIRE(std::abs(a - b) <= 1);
            differ += a != b;
        }
        CHECK(differ > 0);  // the two paths are different roundings, not the same code
    }
}
