// The kernels of one-output layers, whose weights are one row (include/ctnn/simd/row_kernels.hpp), checked against
// naive double-precision loops for the instruction set this file is compiled for (ctnn::simd::default_arch): the
// forward's dot product and its zero padding lanes, W^T delta, the weight gradient and the SGD step (with and without
// decay, guarded and not, and the overflows the guard must stop), for input counts around a register and a few
// registers, with the inputs as exactly In values on the heap (so that a read past them shows under AddressSanitizer)
// and bfloat16 weights.

#include "ctnn/simd/row_kernels.hpp"

#include "ctnn/bfloat16.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace simd = ctnn::simd;
using Arch = simd::default_arch;

template <class T>
constexpr double tolerance = std::is_same_v<T, float> ? 1e-6 : 1e-14;

template <class T>
bool same_bits(T a, T b) {
    if constexpr (std::is_same_v<T, float>) {
        return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
    } else {
        return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
    }
}

/// A row of In weights (T, or bfloat16 bits with float T) padded with zeros to whole registers, aligned, and the
/// values it holds.
template <class T, class W, std::size_t In>
struct weight_row {
    static constexpr std::size_t padded = simd::padded<T, Arch>(In);
    alignas(64) std::array<W, padded> stored{};
    std::array<double, In> values{};

    explicit weight_row(ctnn::Random& random) {
        for (std::size_t i = 0; i < In; ++i) {
            const T value = random.normal<T>();
            if constexpr (std::is_same_v<W, T>) {
                stored[i] = value;
                values[i] = value;
            } else {
                stored[i] = ctnn::round_to_bfloat16(value);
                values[i] = ctnn::bfloat16_to_float(stored[i]);
            }
        }
    }
};

template <class T, class W, std::size_t In>
void check_row_affine(ctnn::Random& random) {
    constexpr std::size_t lanes = simd::width<T, Arch>;
    const weight_row<T, W, In> w(random);
    alignas(64) std::array<T, lanes> b{};
    b[0] = random.normal<T>();
    for (std::size_t l = 1; l < lanes; ++l) b[l] = T(0);
    std::vector<T> x(In);  // exactly In values
    for (auto& v : x) v = random.normal<T>();
    alignas(64) std::array<T, 2 * lanes> z;
    z.fill(std::numeric_limits<T>::quiet_NaN());

    simd::row_affine<Arch, In, lanes>(w.stored.data(), b.data(), x.data(), z.data());

    double expected = b[0], magnitude = std::abs(double(b[0]));
    for (std::size_t i = 0; i < In; ++i) {
        expected += double(x[i]) * w.values[i];
        magnitude += std::abs(double(x[i]) * w.values[i]);
    }
    INFO(Arch::name() << " In = " << In << ": z[0] = " << z[0] << ", expected " << expected);
    CHECK(std::abs(double(z[0]) - expected) <= tolerance<T> * In * magnitude);
    for (std::size_t l = 1; l < lanes; ++l) CHECK(same_bits(z[l], T(0)));     // padding lanes: +0
    for (std::size_t l = lanes; l < 2 * lanes; ++l) CHECK(std::isnan(z[l]));  // past the row: untouched
}

template <class T, std::size_t In>
void check_backward(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(In);
    const weight_row<T, T, In> w(random);
    const T d = random.normal<T>();
    std::vector<T> x(In);
    for (auto& v : x) v = random.normal<T>();

    // W^T delta: exactly In values, each w[i] d rounded once; the value past them untouched.
    std::vector<T> dx(In + 1, T(-7));
    simd::scale_row<Arch, In>(w.stored.data(), d, dx.data());
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < In; ++i) wrong += !same_bits(dx[i], T(w.stored[i] * d));
    CHECK(wrong == 0);
    CHECK(dx[In] == T(-7));

    // The weight gradient added to g: within rounding of g + x d; the padding left as it was.
    alignas(64) std::array<T, padded> g{};
    for (std::size_t i = 0; i < padded; ++i) g[i] = i < In ? random.normal<T>() : T(5);
    const std::array<T, padded> g_before = g;
    simd::add_scaled_row<Arch, In>(g.data(), x.data(), d);
    wrong = 0;
    for (std::size_t i = 0; i < In; ++i) {
        const double expected = double(g_before[i]) + double(x[i]) * double(d);
        wrong +=
            !(std::abs(double(g[i]) - expected) <= tolerance<T> * (std::abs(expected) + std::abs(double(x[i] * d))));
    }
    CHECK(wrong == 0);
    for (std::size_t i = In; i < padded; ++i) CHECK(g[i] == T(5));
}

template <class T, std::size_t In>
void check_update(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(In);
    std::vector<T> x(In);
    for (auto& v : x) v = random.normal<T>();
    const T d = random.normal<T>();
    const T rate = T(0.125);
    for (const T keep : {T(1), T(0.875)}) {
        alignas(64) std::array<T, padded> w{}, guarded{};
        for (std::size_t i = 0; i < padded; ++i) w[i] = i < In ? random.normal<T>() : T(3);
        guarded = w;
        const std::array<T, padded> before = w;
        CHECK(simd::subtract_scaled_row<Arch, In, false>(w.data(), x.data(), d, rate, keep));
        CHECK(simd::subtract_scaled_row<Arch, In, true>(guarded.data(), x.data(), d, rate, keep));
        std::size_t wrong = 0, differ = 0;
        for (std::size_t i = 0; i < In; ++i) {
            // keep w - rate x d, with the step -rate x and keep w each rounded first (exact for these factors)
            const double expected = double(keep) * double(before[i]) - double(rate) * double(x[i]) * double(d);
            wrong += !(std::abs(double(w[i]) - expected) <=
                       tolerance<T> * (std::abs(double(before[i])) + std::abs(double(rate * x[i] * d))));
            differ += !same_bits(w[i], guarded[i]);
        }
        INFO(Arch::name() << " In = " << In << ", keep = " << keep);
        CHECK(wrong == 0);
        CHECK(differ == 0);  // the guarded step rounds alike while nothing overflows
        for (std::size_t i = In; i < padded; ++i) CHECK((w[i] == T(3) && guarded[i] == T(3)));
    }
}

template <class T>
void check_guard() {
    constexpr T max = std::numeric_limits<T>::max();
    constexpr std::size_t In = 3;
    constexpr std::size_t padded = simd::padded<T, Arch>(In);
    alignas(64) std::array<T, padded> w{};
    w[0] = T(1), w[1] = T(2), w[2] = max;
    // Input 0: -rate x overflows (max x 4); with d = max / 4, input 0's update is -inf and input 2's max + max.
    const std::vector<T> x{max, T(1), -T(1)};
    const T rate = T(4), d = max / 4;
    CHECK(simd::subtract_scaled_row<Arch, In, true>(w.data(), x.data(), T(0), rate, T(1)));
    CHECK(w[0] == T(1));  // d = 0: fma(-rate, x 0, w) = w although -rate x overflows
    CHECK(w[1] == T(2));
    CHECK(w[2] == max);
    CHECK_FALSE(simd::subtract_scaled_row<Arch, In, true>(w.data(), x.data(), d, rate, T(1)));
    CHECK(w[0] == T(1));             // -rate x d overflows: kept
    CHECK(w[1] == T(2) - rate * d);  // -max, finite: stored
    CHECK(w[2] == max);              // max + max overflows: kept
}

template <class T, class W = T>
void check_affine_shapes(ctnn::Random& random) {
    constexpr std::size_t lanes = simd::width<T, Arch>;
    check_row_affine<T, W, 1>(random);
    check_row_affine<T, W, 2>(random);
    check_row_affine<T, W, 3>(random);
    check_row_affine<T, W, lanes>(random);
    check_row_affine<T, W, lanes + 1>(random);
    check_row_affine<T, W, 2 * lanes - 1>(random);
    check_row_affine<T, W, 16>(random);
    check_row_affine<T, W, 33>(random);
    check_row_affine<T, W, 6 * lanes + 5>(random);  // more registers than partial sums
}

template <class T>
void check_backward_shapes(ctnn::Random& random) {
    constexpr std::size_t lanes = simd::width<T, Arch>;
    check_backward<T, 1>(random);
    check_backward<T, 3>(random);
    check_backward<T, lanes>(random);
    check_backward<T, lanes + 1>(random);
    check_backward<T, 33>(random);
    check_update<T, 1>(random);
    check_update<T, 3>(random);
    check_update<T, lanes>(random);
    check_update<T, 2 * lanes + 3>(random);
    check_update<T, 33>(random);
}

}  // namespace

TEMPLATE_TEST_CASE("row_affine is b + w . x in lane 0 and +0 in the padding lanes, reading In inputs alone",
                   "[kernels][row]", float, double) {
    ctnn::Random random(31);
    check_affine_shapes<TestType>(random);
}

TEST_CASE("row_affine widens bfloat16 weights exactly", "[kernels][row][bfloat16]") {
    ctnn::Random random(32);
    check_affine_shapes<float, std::uint16_t>(random);
}

TEMPLATE_TEST_CASE("scale_row, add_scaled_row and subtract_scaled_row touch In values alone and round as specified",
                   "[kernels][row]", float, double) {
    ctnn::Random random(33);
    check_backward_shapes<TestType>(random);
}

TEMPLATE_TEST_CASE("The guarded row update keeps every weight whose step overflows, and only those", "[kernels][row]",
                   float, double) {
    check_guard<TestType>();
}
