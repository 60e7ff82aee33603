// ctnn's own float exp, expm1, log1p, tanh and sigmoid (include/ctnn/simd/math.hpp), checked against long double on a
// strided sweep of all 2^32 float bit patterns, on every float of the windows where the error peaks or the behaviour
// changes, and on the special values, for the instruction set this file is compiled for (ctnn::simd::default_arch) and
// for ctnn::simd::scalar_arch. CMake compiles it per instruction set, as kernels_test.cpp (SSE2, AVX2+FMA, AVX-512).

#include "ctnn/simd/math.hpp"

#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace {

namespace simd = ctnn::simd;
namespace math = ctnn::simd::math;

using limits = std::numeric_limits<float>;

// The documented bounds (math.hpp), in ulps of the correctly rounded result.
constexpr double exp_ulps = 1.5;
constexpr double tanh_ulps = 3;
constexpr double sigmoid_ulps = 3;
constexpr double expm1_ulps = 2;
constexpr double log1p_ulps = 2;

constexpr float exp_largest_finite = 0x1.62e42ep+6f;  // 88.7228317: e^x rounds to FLT_MAX; above, +inf
constexpr float exp_flushed_below = -86.99f;          // below -125.5 ln 2 = -86.98997, e^x gives +0
constexpr float exp_accurate_from = -86.9899f;
constexpr float rounds_to_itself = 0x1p-24f;  // below, e^x - 1 and log(1 + x) round to x

std::uint32_t sign_bit(float x) {
    return std::bit_cast<std::uint32_t>(x) & 0x80000000u;
}

/// The distance from `y` to the exact value `reference`, in ulps of floats of `reference`'s magnitude (subnormal
/// spacing below FLT_MIN); 0 when both are the same infinity or both NaN, and +inf when only one of them is.
double ulp_error(float y, long double reference) {
    const float rounded = static_cast<float>(reference);
    if (std::isnan(reference) || std::isnan(y)) return std::isnan(reference) && std::isnan(y) ? 0 : HUGE_VAL;
    if (std::isinf(rounded) || std::isinf(y)) return y == rounded ? 0 : HUGE_VAL;
    int exponent = 0;
    std::frexp(reference, &exponent);  // |reference| in [2^(exponent - 1), 2^exponent)
    const long double ulp = std::ldexp(1.0L, std::max(exponent - 1, -126) - 23);
    return static_cast<double>(std::fabs(static_cast<long double>(y) - reference) / ulp);
}

float from_bits(std::uint32_t b) {
    return std::bit_cast<float>(b);
}

/// Quiet and signalling NaNs, both signs, with payloads in the low bits (which the exponent and mantissa tricks of
/// math.hpp must not turn into a number).
std::vector<float> nan_arguments() {
    return {limits::quiet_NaN(),   -limits::quiet_NaN(),  limits::signaling_NaN(),
            from_bits(0x7fc00001), from_bits(0x7fc001ff), from_bits(0x7fffffff),
            from_bits(0xffc0017f), from_bits(0x7f800001), from_bits(0xff8000ff)};
}

/// `f` on a register of `Arch` with `x` in every lane: the last lane.
template <class Arch, class F>
float on_register(float x, F f) {
    using V = simd::vector_t<float, Arch>;
    constexpr std::size_t lanes = simd::width<float, Arch>;
    alignas(simd::alignment<float, Arch>) std::array<float, lanes> values{};
    values.fill(x);
    simd::store(values.data(), V(f(simd::load<V>(values.data()))));
    return values[lanes - 1];
}

/// Every `stride`-th bit pattern (stride odd, so every exponent and sign is visited with varied mantissas), plus
/// `count` consecutive floats from each of `starts` on (both signs when `both_signs`).
std::vector<float> sweep_arguments(std::uint32_t stride, std::initializer_list<float> starts, std::uint32_t count,
                                   bool both_signs) {
    std::vector<float> values;
    for (std::uint64_t b = 0; b <= 0xffffffffu; b += stride) values.push_back(from_bits(static_cast<std::uint32_t>(b)));
    for (const float start : starts) {
        const std::uint32_t first = std::bit_cast<std::uint32_t>(start);
        for (std::uint32_t i = 0; i < count; ++i) {
            values.push_back(from_bits(first + i));
            if (both_signs) values.push_back(-from_bits(first + i));
        }
    }
    return values;
}

/// The worst error over the arguments and where it is, for one path.
struct error_summary {
    double worst = 0;
    float worst_at = 0;
    std::size_t failures = 0;  // values that break a rule other than the ulp bound (range, sign, exactness)
    float failure_at = 0;
    float failure_value = 0;

    void add(float x, double error) {
        if (error > worst || std::isnan(error)) {
            worst = error;
            worst_at = x;
        }
    }
    void fail(float x, float y) {
        if (failures++ == 0) {
            failure_at = x;
            failure_value = y;
        }
    }
};

/// Runs `f` on `arguments`, one register of `Arch` at a time (the tail padded with the first argument).
template <class Arch, class F>
std::vector<float> evaluate(const std::vector<float>& arguments, F f) {
    using V = simd::vector_t<float, Arch>;
    constexpr std::size_t lanes = simd::width<float, Arch>;
    alignas(simd::alignment<float, Arch>) std::array<float, lanes> in{};
    alignas(simd::alignment<float, Arch>) std::array<float, lanes> out{};
    std::vector<float> results(arguments.size());
    for (std::size_t first = 0; first < arguments.size(); first += lanes) {
        for (std::size_t l = 0; l < lanes; ++l) in[l] = arguments[first + l < arguments.size() ? first + l : 0];
        simd::store(out.data(), V(f(simd::load<V>(in.data()))));
        std::copy_n(out.begin(), std::min(lanes, arguments.size() - first), results.begin() + first);
    }
    return results;
}

/// Evaluates `f` on both paths and checks each value with `judge(x, y, summary)`, then the bound and the agreement of
/// the two paths.
template <class F, class Judge>
void check_both_paths(const char* name, const std::vector<float>& arguments, F f, Judge judge, double bound) {
    const std::vector<float> simd_results = evaluate<simd::default_arch>(arguments, f);
    const std::vector<float> scalar_results = evaluate<simd::scalar_arch>(arguments, f);
    error_summary on_simd, on_scalar;
    double disagreement = 0;
    float disagreement_at = 0;
    std::size_t differing = 0;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const float x = arguments[i];
        judge(x, simd_results[i], on_simd);
        judge(x, scalar_results[i], on_scalar);
        if (std::bit_cast<std::uint32_t>(simd_results[i]) != std::bit_cast<std::uint32_t>(scalar_results[i]) &&
            !(std::isnan(simd_results[i]) && std::isnan(scalar_results[i]))) {
            ++differing;
            const double d = ulp_error(scalar_results[i], simd_results[i]);
            if (d > disagreement) {
                disagreement = d;
                disagreement_at = x;
            }
        }
    }
    INFO(name << " on " << arguments.size() << " arguments, default_arch = " << simd::default_arch::name());
    INFO("SIMD: worst " << on_simd.worst << " ulp at x = " << on_simd.worst_at << "; scalar: worst " << on_scalar.worst
                        << " ulp at x = " << on_scalar.worst_at << "; bound " << bound << " ulp");
    INFO("SIMD: " << on_simd.failures << " broken rules, first f(" << on_simd.failure_at
                  << ") = " << on_simd.failure_value << "; scalar: " << on_scalar.failures << ", first f("
                  << on_scalar.failure_at << ") = " << on_scalar.failure_value);
    INFO("the paths differ on " << differing << " arguments, by at most " << disagreement
                                << " ulp (x = " << disagreement_at << ")");
    CHECK(on_simd.worst <= bound);
    CHECK(on_scalar.worst <= bound);
    CHECK(on_simd.failures == 0);
    CHECK(on_scalar.failures == 0);
    CHECK(differing == 0);  // bit for bit: both paths round alike (math::detail::fused)
}

// About 524,000 patterns per sweep; the windows hold every float where each function's error peaks (found by an
// exhaustive run) and where its behaviour changes.
constexpr std::uint32_t stride = 8191;
constexpr std::uint32_t window = 1 << 14;

}  // namespace

TEST_CASE("math::exp is within 1.5 ulp of e^x, +inf above 88.7228 and +0 below -86.99, alike on both paths",
          "[math][exp]") {
    const std::vector<float> arguments = sweep_arguments(
        stride,
        {5.199f, 5.8486f, 37.777f, 37.7767f, 28.0775f, 58.6108f, 0x1p-12f, 0.3465f, 88.7f, -87.0f, exp_largest_finite},
        window, true);
    check_both_paths(
        "exp", arguments, [](const auto& v) { return math::exp(v); },
        [](float x, float y, error_summary& summary) {
            if (x < exp_flushed_below) {
                if (std::bit_cast<std::uint32_t>(y) != 0) summary.fail(x, y);  // +0 exactly
            } else if (x >= exp_accurate_from || std::isnan(x)) {
                summary.add(x, ulp_error(y, std::exp(static_cast<long double>(x))));
            } else if (!(y == 0 || ulp_error(y, std::exp(static_cast<long double>(x))) <= exp_ulps)) {
                summary.fail(x, y);  // the float on the threshold: either
            }
        },
        exp_ulps);
}

TEST_CASE("math::tanh is within 3 ulp of tanh x, exactly odd and at most 1 in magnitude, alike on both paths",
          "[math][tanh]") {
    const std::vector<float> arguments = sweep_arguments(
        stride, {from_bits(1), 0x1p-24f, 0.06225f, 0.0623f, 0.16f, 0.1733f, 0.52f, 1.04f, 9.0f, 9.99f}, window, true);
    const auto tanh = [](const auto& v) { return math::tanh(v); };
    check_both_paths(
        "tanh", arguments, tanh,
        [](float x, float y, error_summary& summary) {
            summary.add(x, ulp_error(y, std::tanh(static_cast<long double>(x))));
            if (std::fabs(y) > 1) summary.fail(x, y);
        },
        tanh_ulps);

    // Odd on each path: tanh(-x) is -tanh(x) bit for bit.
    std::vector<float> negated(arguments.size());
    std::transform(arguments.begin(), arguments.end(), negated.begin(), [](float x) { return -x; });
    const auto count_asymmetric = [&]<class Arch>() {
        const std::vector<float> plus = evaluate<Arch>(arguments, tanh);
        const std::vector<float> minus = evaluate<Arch>(negated, tanh);
        std::size_t asymmetric = 0;
        for (std::size_t i = 0; i < plus.size(); ++i) {
            asymmetric += !std::isnan(plus[i]) && std::bit_cast<std::uint32_t>(minus[i]) !=
                                                      std::bit_cast<std::uint32_t>(static_cast<float>(-plus[i]));
        }
        return asymmetric;
    };
    CHECK(count_asymmetric.operator()<simd::default_arch>() == 0);
    CHECK(count_asymmetric.operator()<simd::scalar_arch>() == 0);
}

TEST_CASE("math::sigmoid is within 3 ulp of 1 / (1 + e^-x) and in [0, 1], alike on both paths", "[math][sigmoid]") {
    const std::vector<float> arguments = sweep_arguments(
        stride, {-16.63f, 7.859f, -88.8f, -87.4f, -87.0f, 16.6f, 17.3f, -1.0f, 0x1p-12f}, window, false);
    check_both_paths(
        "sigmoid", arguments, [](const auto& v) { return math::sigmoid(v); },
        [](float x, float y, error_summary& summary) {
            if (!(y >= 0 && y <= 1) && !std::isnan(x)) summary.fail(x, y);
            const long double reference = 1 / (1 + std::exp(-static_cast<long double>(x)));
            if (x < -exp_largest_finite) {
                if (y > limits::min()) summary.fail(x, y);  // e^-x overflowed: +0 (or tiny), under 2^-126 anyway
            } else {
                summary.add(x, ulp_error(y, reference));
            }
        },
        sigmoid_ulps);
}

TEST_CASE("math::expm1 is within 2 ulp of e^x - 1, x itself for |x| < 2^-24, alike on both paths", "[math][expm1]") {
    const std::vector<float> arguments =
        sweep_arguments(stride,
                        {from_bits(1), -from_bits(1), 0x1p-24f, -0x1p-24f, 0.3465f, -0.3476f, -0.34686f, -0.34747f,
                         17.12f, 17.151f, -17.33f, 88.7f},
                        window, false);
    check_both_paths(
        "expm1", arguments, [](const auto& v) { return math::expm1(v); },
        [](float x, float y, error_summary& summary) {
            summary.add(x, ulp_error(y, std::expm1(static_cast<long double>(x))));
            if (y < -1 || (!std::isnan(x) && sign_bit(y) != sign_bit(x))) summary.fail(x, y);
            if (std::fabs(x) < rounds_to_itself && std::bit_cast<std::uint32_t>(y) != std::bit_cast<std::uint32_t>(x)) {
                summary.fail(x, y);
            }
        },
        expm1_ulps);
}

TEST_CASE("math::log1p is within 2 ulp of log(1 + x), x itself for |x| < 2^-24, NaN below -1, alike on both paths",
          "[math][log1p]") {
    const std::vector<float> arguments =
        sweep_arguments(stride,
                        {from_bits(1), -from_bits(1), 0x1p-24f, -0x1p-24f, 1.6793f, -0.37695f, 0.40627f, -0.29708f,
                         -0.2929f, 0.4142f, 1e30f, -0.9995f},
                        window, false);
    check_both_paths(
        "log1p", arguments, [](const auto& v) { return math::log1p(v); },
        [](float x, float y, error_summary& summary) {
            if (x < -1) {
                if (!std::isnan(y)) summary.fail(x, y);
                return;
            }
            summary.add(x, ulp_error(y, std::log1p(static_cast<long double>(x))));
            if (!std::isnan(x) && sign_bit(y) != sign_bit(x)) summary.fail(x, y);
            if (std::fabs(x) < rounds_to_itself && std::bit_cast<std::uint32_t>(y) != std::bit_cast<std::uint32_t>(x)) {
                summary.fail(x, y);
            }
        },
        log1p_ulps);
}

TEST_CASE("math::expm1 and math::log1p give the IEEE results at zeros, infinities, NaNs and the extremes",
          "[math][special]") {
    const float inf = limits::infinity();
    const float nan = limits::quiet_NaN();
    const std::vector<float> nans = nan_arguments();
    struct expectation {
        float x, expm1, log1p;
    };
    const std::vector<expectation> exact = {
        {0.0f, 0.0f, 0.0f},          {-0.0f, -0.0f, -0.0f}, {inf, inf, inf}, {-inf, -1, nan},
        {limits::lowest(), -1, nan}, {-1000, -1, nan},      {-18, -1, nan},  // e^x - 1 rounds to -1 below -17.33
        {-17.5f, -1, nan},
    };
    // Beside the thresholds: within the bounds (e^x - 1 overflows to +inf just above exp_largest_finite, log(1 + x)
    // is -inf at -1 and NaN below).
    const std::vector<float> extreme = {-2,
                                        std::nextafter(-1.0f, -2.0f),
                                        -1,
                                        std::nextafter(-1.0f, 0.0f),
                                        -17.3f,
                                        16.9f,
                                        17.4f,
                                        88.0f,
                                        exp_largest_finite,
                                        std::nextafter(exp_largest_finite, inf),
                                        1000,
                                        1e30f,
                                        limits::max()};
    const std::vector<float> tiny = {
        limits::denorm_min(), -limits::denorm_min(), limits::min(), -limits::min(), 1e-30f, -1e-30f,
        0x1.fffffep-25f,      -0x1.fffffep-25f};
    const auto same = [](float a, float b) {
        return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b) || (std::isnan(a) && std::isnan(b));
    };
    const auto run = [&]<class Arch>() {
        const auto on = [](float x, auto f) { return on_register<Arch>(x, f); };
        const auto expm1 = [](const auto& v) { return math::expm1(v); };
        const auto log1p = [](const auto& v) { return math::log1p(v); };
        INFO("Arch = " << Arch::name());
        for (const float x : nans) {
            INFO("x = NaN with bits " << std::bit_cast<std::uint32_t>(x));
            CHECK(std::isnan(on(x, expm1)));
            CHECK(std::isnan(on(x, log1p)));
        }
        for (const expectation& e : exact) {
            INFO("x = " << e.x << ": expm1 " << on(e.x, expm1) << ", log1p " << on(e.x, log1p));
            CHECK(same(on(e.x, expm1), e.expm1));
            CHECK(same(on(e.x, log1p), e.log1p));
        }
        for (const float x : extreme) {
            const double expm1_error = ulp_error(on(x, expm1), std::expm1(static_cast<long double>(x)));
            const double log1p_error = ulp_error(on(x, log1p), std::log1p(static_cast<long double>(x)));
            INFO("x = " << x << ": expm1 " << on(x, expm1) << " (" << expm1_error << " ulp), log1p " << on(x, log1p)
                        << " (" << log1p_error << " ulp)");
            CHECK(expm1_error <= expm1_ulps);
            if (x < -1) {
                CHECK(std::isnan(on(x, log1p)));
            } else {
                CHECK((x == -1 ? on(x, log1p) == -inf : log1p_error <= log1p_ulps));
            }
        }
        for (const float x : tiny) {
            INFO("x = " << x);
            CHECK(same(on(x, expm1), x));
            CHECK(same(on(x, log1p), x));
        }
    };
    run.operator()<simd::default_arch>();
    run.operator()<simd::scalar_arch>();
}

TEST_CASE("math::exp, tanh and sigmoid give the IEEE results at zeros, infinities, NaNs and the extremes",
          "[math][special]") {
    const float inf = limits::infinity();
    const std::vector<float> nans = nan_arguments();
    struct expectation {
        float x, exp, tanh, sigmoid;
    };
    const std::vector<expectation> exact = {
        {0.0f, 1, 0.0f, 0.5f},
        {-0.0f, 1, -0.0f, 0.5f},
        {inf, inf, 1, 1},
        {-inf, 0, -1, 0},
        {limits::max(), inf, 1, 1},
        {limits::lowest(), 0, -1, 0},
        {1000, inf, 1, 1},
        {-1000, 0, -1, 0},
        {100, inf, 1, 1},
        {-100, 0, -1, 0},  // sigmoid(-100) = 3.7e-44 needs subnormals: e^100 overflows first
        {std::nextafter(exp_largest_finite, inf), inf, 1, 1},
    };
    // tanh rounds to +-1 from 9.0109 on; exp underflows to +0 below -86.99.
    const std::vector<float> saturated = {9.02f, 10, 10.5f, 20, 1e6f};
    const std::vector<float> underflowing = {exp_flushed_below, -87.5f, -88.8f, -104, -1e6f};
    const std::vector<float> tiny = {
        limits::denorm_min(), -limits::denorm_min(), limits::min(), -limits::min(), 1e-30f, -1e-30f};
    const auto same = [](float a, float b) {
        return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
    };
    const auto run = [&]<class Arch>() {
        const auto on = [](float x, auto f) { return on_register<Arch>(x, f); };
        const auto exp = [](const auto& v) { return math::exp(v); };
        const auto tanh = [](const auto& v) { return math::tanh(v); };
        const auto sigmoid = [](const auto& v) { return math::sigmoid(v); };
        INFO("Arch = " << Arch::name());
        for (const float x : nans) {
            INFO("x = NaN with bits " << std::bit_cast<std::uint32_t>(x));
            CHECK(std::isnan(on(x, exp)));
            CHECK(std::isnan(on(x, tanh)));
            CHECK(std::isnan(on(x, sigmoid)));
        }
        for (const expectation& e : exact) {
            INFO("x = " << e.x << ": exp " << on(e.x, exp) << ", tanh " << on(e.x, tanh) << ", sigmoid "
                        << on(e.x, sigmoid));
            CHECK(same(on(e.x, exp), e.exp));
            CHECK(same(on(e.x, tanh), e.tanh));
            CHECK(same(on(e.x, sigmoid), e.sigmoid));
        }
        for (const float x : saturated) {
            INFO("x = " << x);
            CHECK(same(on(x, tanh), 1));
            CHECK(same(on(-x, tanh), -1));
        }
        for (const float x : underflowing) {
            INFO("x = " << x);
            CHECK(same(on(x, exp), 0));
        }
        for (const float x : tiny) {  // e^x rounds to 1, tanh x to x, sigmoid x to 1/2
            INFO("x = " << x);
            CHECK(on(x, exp) == 1);
            CHECK(std::bit_cast<std::uint32_t>(on(x, tanh)) == std::bit_cast<std::uint32_t>(x));
            CHECK(on(x, sigmoid) == 0.5f);
        }
        // Signs of the zeros: exp and sigmoid underflow to +0, tanh keeps the sign of a zero.
        CHECK(std::bit_cast<std::uint32_t>(on(-inf, exp)) == 0);
        CHECK(std::bit_cast<std::uint32_t>(on(-inf, sigmoid)) == 0);
        CHECK(std::bit_cast<std::uint32_t>(on(-0.0f, tanh)) == 0x80000000u);
    };
    run.operator()<simd::default_arch>();
    run.operator()<simd::scalar_arch>();
}

TEST_CASE("simd::exp, expm1, log1p, tanh and sigmoid on float are math::exp, expm1, log1p, tanh and sigmoid",
          "[math][ops]") {
    const std::vector<float> arguments = sweep_arguments(0x10001, {}, 0, false);
    const auto bits = [](float y) { return std::bit_cast<std::uint32_t>(y); };
    const auto count_differences = [&]<class Arch>(auto ops, auto own) {
        const std::vector<float> a = evaluate<Arch>(arguments, ops);
        const std::vector<float> b = evaluate<Arch>(arguments, own);
        std::size_t differing = 0;
        for (std::size_t i = 0; i < a.size(); ++i) differing += bits(a[i]) != bits(b[i]);
        return differing;
    };
    const auto check_arch = [&]<class Arch>() {
        INFO("Arch = " << Arch::name());
        CHECK(count_differences.template operator()<Arch>([](const auto& v) { return simd::exp(v); },
                                                          [](const auto& v) { return math::exp(v); }) == 0);
        CHECK(count_differences.template operator()<Arch>([](const auto& v) { return simd::expm1(v); },
                                                          [](const auto& v) { return math::expm1(v); }) == 0);
        CHECK(count_differences.template operator()<Arch>([](const auto& v) { return simd::log1p(v); },
                                                          [](const auto& v) { return math::log1p(v); }) == 0);
        CHECK(count_differences.template operator()<Arch>([](const auto& v) { return simd::tanh(v); },
                                                          [](const auto& v) { return math::tanh(v); }) == 0);
        CHECK(count_differences.template operator()<Arch>([](const auto& v) { return simd::sigmoid(v); },
                                                          [](const auto& v) { return math::sigmoid(v); }) == 0);
    };
    check_arch.operator()<simd::default_arch>();
    check_arch.operator()<simd::scalar_arch>();
}

TEST_CASE("simd::div and simd::sqrt give the correctly rounded scalar result in every lane", "[math][ops]") {
    // Every 8191st bit pattern as numerators and radicands, each divided by a pattern of a coprime stride, so both
    // operands cover every exponent and sign, subnormals, zeros, infinities and NaNs.
    const std::vector<float> a = sweep_arguments(stride, {}, 0, false);
    std::vector<float> b(a.size());
    for (std::size_t i = 0; i < b.size(); ++i) b[i] = from_bits(static_cast<std::uint32_t>(i * 0x9E3779B1u));
    const auto same = [](float x, float y) {
        return std::bit_cast<std::uint32_t>(x) == std::bit_cast<std::uint32_t>(y) || (std::isnan(x) && std::isnan(y));
    };
    using V = simd::vector_t<float, simd::default_arch>;
    constexpr std::size_t lanes = simd::width<float, simd::default_arch>;
    alignas(simd::alignment<float, simd::default_arch>) std::array<float, lanes> x{}, y{}, q{}, r{};
    std::size_t quotients_differing = 0, roots_differing = 0;
    for (std::size_t first = 0; first + lanes <= a.size(); first += lanes) {
        std::copy_n(a.begin() + static_cast<std::ptrdiff_t>(first), lanes, x.begin());
        std::copy_n(b.begin() + static_cast<std::ptrdiff_t>(first), lanes, y.begin());
        simd::store(q.data(), simd::div(simd::load<V>(x.data()), simd::load<V>(y.data())));
        simd::store(r.data(), simd::sqrt(simd::load<V>(x.data())));
        for (std::size_t l = 0; l < lanes; ++l) {
            quotients_differing += !same(q[l], x[l] / y[l]);
            roots_differing += !same(r[l], std::sqrt(x[l]));
        }
    }
    INFO("default_arch = " << simd::default_arch::name() << ", " << a.size() << " operands");
    CHECK(quotients_differing == 0);
    CHECK(roots_differing == 0);
}
