// ctnn::detail::integer_quantizer (include/ctnn/quant/integer_quantize.hpp), the input quantization of cores without a
// floating-point unit, against QuantizationParams::quantize_with_inverse computed in float by the host: every quantum
// equal, for scales over 2^-30 .. 2^10 and random bit patterns of scale, on random bit patterns of x (NaN, infinities,
// subnormals, both zeros, every magnitude), exact ties (k + 1/2) x scale, floats a few units in the last place around
// them, and uniform values over the range and past both clamps; and FloatRequantizer::apply's quanta (x = float(acc),
// the multiplier for the inverse), on accumulators over the whole int32 range and around the clamps.

#include "ctnn/quant/integer_quantize.hpp"

#include "ctnn/quant/qparams.hpp"
#include "ctnn/quant/requantize.hpp"
#include "ctnn/random.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace {

// Checks `count` values of each kind at one scale and zero point; returns the number that differ.
long differences(float scale, std::int32_t zero_point, ctnn::Random& random, int count) {
    const ctnn::QuantizationParams qparams{scale, zero_point};
    const float inverse = 1.0f / scale;
    const ctnn::detail::integer_quantizer quantizer(inverse, zero_point);
    REQUIRE(quantizer.usable());
    long differ = 0;
    const auto check = [&](float x) {
        const std::uint8_t want = qparams.quantize_with_inverse(x, inverse), got = quantizer(x);
        if (got != want && differ++ == 0) {
            INFO("scale " << scale << ", zero point " << zero_point << ", x = " << x << ": " << int{got} << ", want "
                          << int{want});
            CHECK(got == want);
        }
    };
    for (int k = 0; k < count; ++k) {
        check(std::bit_cast<float>(random()));
        const auto tie = static_cast<float>(static_cast<std::int32_t>(random() % 1200) - 600) * 0.5f * scale;
        check(tie);
        check(std::bit_cast<float>(std::bit_cast<std::uint32_t>(tie) + random() % 7 - 3));
        check(random.uniform<float>(-600.0f, 600.0f) * scale);
    }
    return differ;
}

}  // namespace

TEST_CASE("integer_quantizer gives QuantizationParams::quantize's quanta on special values", "[quantization]") {
    const float inf = std::numeric_limits<float>::infinity();
    for (const ctnn::QuantizationParams qparams :
         {ctnn::QuantizationParams{0.25f, 10}, ctnn::QuantizationParams{0.02f, 0},
          ctnn::QuantizationParams{0.0137f, 255}}) {
        const float inverse = 1.0f / qparams.scale;
        const ctnn::detail::integer_quantizer quantizer(inverse, qparams.zero_point);
        REQUIRE(quantizer.usable());
        for (const float x : {0.0f,
                              -0.0f,
                              std::numeric_limits<float>::quiet_NaN(),
                              -std::numeric_limits<float>::quiet_NaN(),
                              inf,
                              -inf,
                              1e30f,
                              -1e30f,
                              std::numeric_limits<float>::denorm_min(),
                              -std::numeric_limits<float>::denorm_min(),
                              std::numeric_limits<float>::min(),
                              std::numeric_limits<float>::max(),
                              0.5f * qparams.scale,
                              1.5f * qparams.scale,
                              2.5f * qparams.scale,
                              -0.5f * qparams.scale,
                              -2.5f * qparams.scale,
                              255.5f * qparams.scale,
                              256.0f * qparams.scale,
                              -256.0f * qparams.scale,
                              511.0f * qparams.scale,
                              513.0f * qparams.scale}) {
            INFO("scale " << qparams.scale << ", zero point " << qparams.zero_point << ", x = " << x);
            CHECK(quantizer(x) == qparams.quantize_with_inverse(x, inverse));
        }
    }
    // The ties of 0.25 (an exact inverse) in closed form: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -1.5 -> -2.
    const ctnn::detail::integer_quantizer quarter(4.0f, 10);
    CHECK(quarter(0.125f) == 10);
    CHECK(quarter(0.375f) == 12);
    CHECK(quarter(0.625f) == 12);
    CHECK(quarter(-0.375f) == 8);
    CHECK(quarter(std::numeric_limits<float>::quiet_NaN()) == 0);
    CHECK(quarter(inf) == 255);
    CHECK(quarter(-inf) == 0);
}

TEST_CASE("integer_quantizer gives QuantizationParams::quantize's quanta on random values, ties and their neighbours",
          "[quantization]") {
    ctnn::Random random(2024);
    long differ = 0;
    for (int s = 0; s < 400; ++s) {
        const float scale = std::exp2(random.uniform<float>(-30.0f, 10.0f));
        differ += differences(scale, static_cast<std::int32_t>(random() % 256), random, 2000);
    }
    // Scales of any bits whose inverse the quantizer takes.
    int scales = 0;
    while (scales < 100) {
        const float scale = std::bit_cast<float>(random() & 0x7fffffffu);
        if (!(scale > 0.0f) || !std::isfinite(scale) || !ctnn::detail::integer_quantizer(1.0f / scale, 0).usable())
            continue;
        ++scales;
        differ += differences(scale, static_cast<std::int32_t>(random() % 256), random, 2000);
    }
    CHECK(differ == 0);
}

TEST_CASE("integer_quantizer refuses inverses it cannot take", "[quantization]") {
    CHECK(ctnn::detail::integer_quantizer(0x1p100f, 0).usable());
    CHECK_FALSE(ctnn::detail::integer_quantizer(0x1p101f, 0).usable());
    CHECK_FALSE(ctnn::detail::integer_quantizer(std::numeric_limits<float>::infinity(), 0).usable());
    CHECK_FALSE(ctnn::detail::integer_quantizer(std::numeric_limits<float>::denorm_min(), 0).usable());
    CHECK(ctnn::detail::integer_quantizer(std::numeric_limits<float>::min(), 0).usable());
    CHECK_FALSE(ctnn::detail::integer_quantizer(-1.0f, 0).usable());
}

TEST_CASE("integer_quantizer with the multiplier for the inverse gives FloatRequantizer's quanta", "[quantization]") {
    ctnn::Random random(77);
    long checked = 0, differ = 0;
    for (int m = 0; m < 300; ++m) {
        // Every fifth a power of two, whose ties (k + 1/2) / m are integers.
        const float multiplier =
            m % 5 == 0 ? std::exp2(-static_cast<float>(1 + m % 24)) : std::exp2(random.uniform<float>(-24.0f, 2.0f));
        const auto zero_point = static_cast<std::int32_t>(random() % 256);
        const ctnn::detail::integer_quantizer quantizer(multiplier, zero_point);
        REQUIRE(quantizer.usable());
        for (int k = 0; k < 3000; ++k) {
            // Any int32; or within the clamps' reach (|acc x m| up to 600), ties (k + 1/2) / m and their neighbours.
            std::int32_t acc = static_cast<std::int32_t>(random());
            // Clamped before the conversion: 600 / 2^-24 is past int32's range.
            if (k % 3 == 1)
                acc = static_cast<std::int32_t>(
                    std::clamp(random.uniform<float>(-600.0f, 600.0f) / multiplier, -2e9f, 2e9f));
            if (k % 3 == 2) {
                const float tie =
                    (static_cast<float>(static_cast<std::int32_t>(random() % 1200) - 600) + 0.5f) / multiplier;
                acc = static_cast<std::int32_t>(std::clamp(tie, -2e9f, 2e9f)) +
                      static_cast<std::int32_t>(random() % 5) - 2;
            }
            const std::int32_t want = std::clamp(ctnn::FloatRequantizer::apply(acc, multiplier) + zero_point,
                                                 std::int32_t{0}, std::int32_t{255});
            ++checked;
            if (quantizer(static_cast<float>(acc)) != want && differ++ == 0) {
                INFO("multiplier " << multiplier << ", zero point " << zero_point << ", acc " << acc);
                CHECK(int{quantizer(static_cast<float>(acc))} == want);
            }
        }
    }
    CHECK(checked == 900000);
    CHECK(differ == 0);
}
