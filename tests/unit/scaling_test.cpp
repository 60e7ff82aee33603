// ctnn::data::Standardizer and ctnn::data::MinMaxScaler (include/ctnn/data/scaling.hpp) on columns of every scale:
// a spread that is small against 1 or against the values is a spread, not a constant; columns far from 0, of 1e300,
// or spanning more than the largest T are scaled right. Expected values are scale-free ((k - 2.5) / sqrt(1.25) for
// the columns m {1, 2, 3, 4}) or computed in long double from the values as stored.

#include <ctnn/data.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

using namespace ctnn;

namespace {

template <class T>
using Rows = std::vector<std::array<T, 1>>;

template <class T>
Rows<T> column(std::initializer_list<T> values) {
    Rows<T> rows;
    for (T v : values) rows.push_back({v});
    return rows;
}

/// The population mean and standard deviation in long double, two passes.
template <class T>
std::pair<long double, long double> oracle_moments(const Rows<T>& rows) {
    long double sum = 0;
    for (const auto& r : rows) sum += r[0];
    const long double mean = sum / static_cast<long double>(rows.size());
    long double squares = 0;
    for (const auto& r : rows) squares += (r[0] - mean) * (r[0] - mean);
    return {mean, std::sqrt(squares / static_cast<long double>(rows.size()))};
}

/// Standardises `rows` and checks every value against (x - mean) / stddev from oracle_moments.
template <class T>
void check_standardized(Rows<T> rows, double tolerance) {
    const auto [mean, stddev] = oracle_moments(rows);
    INFO("mean " << static_cast<double>(mean) << ", standard deviation " << static_cast<double>(stddev));
    REQUIRE(stddev > 0);
    data::Standardizer<T, 1> scaler;
    scaler.fit(std::span<const std::array<T, 1>>(rows));
    CHECK(static_cast<long double>(scaler.scale()[0]) == Approx(static_cast<double>(stddev)).epsilon(tolerance));
    const Rows<T> original = rows;
    scaler.apply(std::span<std::array<T, 1>>(rows));
    for (std::size_t s = 0; s < rows.size(); ++s) {
        const long double want = (original[s][0] - mean) / stddev;
        CHECK(rows[s][0] == Approx(static_cast<double>(want)).epsilon(tolerance).margin(tolerance));
    }
}

template <class T>
std::vector<T> magnitudes() {
    if constexpr (sizeof(T) == 4) {
        return {1e-30f, 1e-20f, 1e-6f, 1e-3f, 1, 1e3f, 1e6f, 1e20f, 1e30f, 1e37f};
    } else {
        return {1e-300, 1e-100, 1e-20, 1e-6, 1, 1e6, 1e20, 1e100, 1e300, 4e307};
    }
}

}  // namespace

TEST_CASE("Standardizer<float, 1> on {1e-6, 2e-6, 3e-6, 4e-6} has scale 1.118e-6, not 1", "[scaling]") {
    auto rows = column<float>({1e-6f, 2e-6f, 3e-6f, 4e-6f});
    data::Standardizer<float, 1> scaler;
    scaler.fit(std::span<const std::array<float, 1>>(rows));
    CHECK(scaler.scale()[0] == Approx(1.118034e-6).epsilon(1e-6));
    scaler.apply(std::span<std::array<float, 1>>(rows));
    CHECK(rows[0][0] == Approx(-1.3416408).epsilon(1e-6));
    CHECK(rows[3][0] == Approx(1.3416408).epsilon(1e-6));
}

TEMPLATE_TEST_CASE("Standardizer scales a small spread at every magnitude", "[scaling]", float, double) {
    using T = TestType;
    const double tolerance = sizeof(T) == 4 ? 2e-6 : 1e-14;
    for (const T m : magnitudes<T>()) {
        CAPTURE(m);
        // m {1, 2, 3, 4} standardises to (k - 2.5) / sqrt(1.25) whatever m is.
        auto rows = column<T>({m, 2 * m, 3 * m, 4 * m});
        check_standardized(rows, tolerance);
        data::Standardizer<T, 1> scaler;
        scaler.fit(std::span<const std::array<T, 1>>(rows));
        scaler.apply(std::span<std::array<T, 1>>(rows));
        for (int k = 0; k < 4; ++k) {
            CHECK(rows[static_cast<std::size_t>(k)][0] == Approx((k + 1 - 2.5) / std::sqrt(1.25)).epsilon(tolerance));
        }
    }
}

TEMPLATE_TEST_CASE("Standardizer loses nothing to a large offset", "[scaling]", float, double) {
    using T = TestType;
    const double tolerance = sizeof(T) == 4 ? 2e-6 : 1e-12;
    // Spreads that are exact in T: 1e6 + 0.125 k in float (its spacing there is 0.0625), 1e9 + 2^-10 k in double. A
    // one-pass E[x^2] - E[x]^2 cancels every digit of these.
    const T offset = sizeof(T) == 4 ? T(1e6) : T(1e9), step = sizeof(T) == 4 ? T(0.125) : T(1.0 / 1024);
    auto rows = column<T>({offset + step, offset + 2 * step, offset + 3 * step, offset + 4 * step});
    data::Standardizer<T, 1> scaler;
    scaler.fit(std::span<const std::array<T, 1>>(rows));
    scaler.apply(std::span<std::array<T, 1>>(rows));
    for (int k = 0; k < 4; ++k) {
        CHECK(rows[static_cast<std::size_t>(k)][0] == Approx((k + 1 - 2.5) / std::sqrt(1.25)).epsilon(tolerance));
    }
    // 1e6 plus normal noise of 10 (float) / 1e-4 (double): the scale against long double, as tight as T allows. The
    // values are as good as a mean rounded to T: within half its spacing (0.0625 at 1e6 in float) of the exact one.
    Random random(2);
    Rows<T> noisy(200);
    const T noise = sizeof(T) == 4 ? T(10) : T(1e-4);
    for (auto& r : noisy) r[0] = T(1e6) + noise * random.normal<T>();
    check_standardized(noisy, sizeof(T) == 4 ? 0.04 / 10 : 1e-10 / 1e-4);
    data::Standardizer<T, 1> scaler_of_noise;
    scaler_of_noise.fit(std::span<const std::array<T, 1>>(noisy));
    CHECK(scaler_of_noise.scale()[0] ==
          Approx(static_cast<double>(oracle_moments(noisy).second)).epsilon(sizeof(T) == 4 ? 1e-6 : 1e-10));
}

TEST_CASE("Standardizer handles columns near the largest double", "[scaling]") {
    // The sum -1.5e308 - 0.5e308 overflows, and so does every square: the mean and the deviation must not.
    auto rows = column<double>({-1.5e308, -0.5e308, 0.5e308, 1.5e308});
    data::Standardizer<double, 1> scaler;
    scaler.fit(std::span<const std::array<double, 1>>(rows));
    CHECK(scaler.mean()[0] == 0);
    CHECK(scaler.scale()[0] == Approx(std::sqrt(1.25) * 1e308).epsilon(1e-14));
    scaler.apply(std::span<std::array<double, 1>>(rows));
    CHECK(rows[0][0] == Approx(-1.5 / std::sqrt(1.25)).epsilon(1e-14));
    CHECK(rows[3][0] == Approx(1.5 / std::sqrt(1.25)).epsilon(1e-14));
    // And in float, columns up to the largest float.
    auto floats = column<float>({-3e38f, -1e38f, 1e38f, 3e38f});
    check_standardized(floats, 2e-6);
}

TEMPLATE_TEST_CASE("Standardizer calls a column constant only when it is, up to rounding", "[scaling]", float, double) {
    using T = TestType;
    for (const T v : {T(0.1), T(1) / 3, T(-7), T(0), magnitudes<T>().front(), magnitudes<T>().back()}) {
        CAPTURE(v);
        Rows<T> rows(1000, std::array<T, 1>{v});
        data::Standardizer<T, 1> scaler;
        scaler.fit(std::span<const std::array<T, 1>>(rows));
        CHECK(scaler.scale()[0] == 1);
        scaler.apply(std::span<std::array<T, 1>>(rows));
        for (const auto& r : rows) CHECK(std::fabs(r[0]) <= std::fabs(v) * 1e-12);
    }
    // Two values 4 ulp apart in a thousand are a spread for float data (the double sums resolve it), and one within
    // the rounding error of the mean for double data.
    const T v = T(1) / 3;
    Rows<T> rows(1000, std::array<T, 1>{v});
    rows[0][0] = v + 4 * v * std::numeric_limits<T>::epsilon();
    data::Standardizer<T, 1> scaler;
    scaler.fit(std::span<const std::array<T, 1>>(rows));
    CHECK((scaler.scale()[0] == 1) == (sizeof(T) == 8));
}

TEMPLATE_TEST_CASE("MinMaxScaler scales any spread onto [0, 1], at every magnitude", "[scaling]", float, double) {
    using T = TestType;
    std::vector<T> ms = magnitudes<T>();
    ms.push_back(4 * std::numeric_limits<T>::denorm_min());  // subnormal: k m is exact
    for (const T m : ms) {
        CAPTURE(m);
        auto rows = column<T>({3 * m, m, 4 * m, 2 * m});
        data::MinMaxScaler<T, 1> scaler;
        scaler.fit(std::span<const std::array<T, 1>>(rows));
        scaler.apply(std::span<std::array<T, 1>>(rows));
        // Exactly 0 and 1 at the ends; the others as (x - min) / range of the values as stored.
        CHECK(rows[1][0] == 0);
        CHECK(rows[2][0] == 1);
        const long double low = m, range = 4 * static_cast<long double>(m) - m;
        CHECK(rows[0][0] == Approx(static_cast<double>((static_cast<long double>(3 * m) - low) / range)).epsilon(1e-6));
        CHECK(rows[3][0] == Approx(static_cast<double>((static_cast<long double>(2 * m) - low) / range)).epsilon(1e-6));
    }
    // Far from 0: 1e6 + 0.0625 k in float, 1e15 + 0.125 k in double.
    const T offset = sizeof(T) == 4 ? T(1e6) : T(1e15), step = sizeof(T) == 4 ? T(0.0625) : T(0.125);
    auto rows = column<T>({offset, offset + 3 * step, offset + step});
    data::MinMaxScaler<T, 1> scaler;
    scaler.fit(std::span<const std::array<T, 1>>(rows));
    scaler.apply(std::span<std::array<T, 1>>(rows));
    CHECK(rows[0][0] == 0);
    CHECK(rows[1][0] == 1);
    CHECK(rows[2][0] == Approx(1.0 / 3).epsilon(1e-6));
}

TEMPLATE_TEST_CASE("MinMaxScaler scales a column that spans more than the largest T", "[scaling]", float, double) {
    using T = TestType;
    const T big = std::numeric_limits<T>::max() * T(0.9);
    auto rows = column<T>({-big, big / 2, big, T(0)});
    data::MinMaxScaler<T, 1> scaler(T(-1), T(1));
    scaler.fit(std::span<const std::array<T, 1>>(rows));
    scaler.apply(std::span<std::array<T, 1>>(rows));
    CHECK(rows[0][0] == -1);
    CHECK(rows[1][0] == Approx(0.5).epsilon(1e-6));
    CHECK(rows[2][0] == 1);
    CHECK(rows[3][0] == Approx(0).margin(1e-6));
    // A constant column maps to low, at any magnitude.
    for (const T v : {T(0), big, std::numeric_limits<T>::denorm_min()}) {
        auto constant = column<T>({v, v, v});
        data::MinMaxScaler<T, 1> c(T(-1), T(1));
        c.fit(std::span<const std::array<T, 1>>(constant));
        c.apply(std::span<std::array<T, 1>>(constant));
        for (const auto& r : constant) CHECK(r[0] == -1);
    }
}
