// The reductions over flat arrays (include/ctnn/simd/reduce.hpp) and Blue's sum of squares behind them
// (include/ctnn/detail/sum_of_squares.hpp), against long double loops, for the instruction set this file is compiled
// for and, in the baseline build, for ctnn::simd::scalar_arch (see kernels_test.cpp). Values from 1e-45 to 3e38 in
// float and 1e-320 to 1e300 in double: where a plain sum of squares overflows or underflows, the norm must not.

#include "ctnn/simd/reduce.hpp"

#include "ctnn/detail/sum_of_squares.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include "support/magnitudes.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

namespace {

namespace simd = ctnn::simd;

#if CTNN_TEST_SCALAR_KERNELS
template <class T>
using archs = std::tuple<std::pair<T, simd::default_arch>, std::pair<T, simd::scalar_arch>>;
#else
template <class T>
using archs = std::tuple<std::pair<T, simd::default_arch>>;
#endif

template <class T, class Arch, std::size_t Size>
struct aligned_array {
    alignas(simd::alignment<T, Arch>) std::array<T, Size> values{};
};

/// sqrt(sum of squares) in long double, whose range holds the squares of every float and double.
template <class T, std::size_t N>
long double oracle_norm(const std::array<T, N>& values) {
    long double sum = 0;
    for (T v : values) sum += static_cast<long double>(v) * static_cast<long double>(v);
    return std::sqrt(sum);
}

/// Checks euclidean_norm and all_finite on `values` (the norm within a few ulp, or within `relative` when the norm
/// is subnormal and so has fewer digits).
template <class Arch, class T, std::size_t Size>
void check_norm(const std::array<T, Size>& values, long double relative = 0) {
    aligned_array<T, Arch, Size> a;
    a.values = values;
    const auto norm = simd::euclidean_norm<Arch, Size>(a.values.data());
    const long double want = oracle_norm(values);
    const long double tolerance =
        relative > 0 ? relative : 8 * static_cast<long double>(std::numeric_limits<T>::epsilon());
    INFO("arch " << Arch::name() << ", want " << static_cast<double>(want) << ", got " << norm.value() << " = "
                 << norm.scale << " sqrt(" << norm.sum << ")");
    CHECK(norm.finite());
    CHECK(simd::all_finite<Arch, Size>(a.values.data()));
    // The scaled form holds norms beyond T's range too.
    const long double got = static_cast<long double>(norm.scale) * std::sqrt(static_cast<long double>(norm.sum));
    CHECK(std::fabs(got - want) <= tolerance * want);
    if (want <= static_cast<long double>(std::numeric_limits<T>::max())) {
        CHECK(std::fabs(static_cast<long double>(norm.value()) - want) <= tolerance * want);
    } else {
        CHECK(norm.value() == std::numeric_limits<T>::infinity());
    }
}

template <class T>
using magnitudes = ctnn_test::magnitudes<T>;

constexpr std::size_t size = 64;  // 16 AVX-512 float registers, 4 of each accumulator, and a tail below

template <class Arch, class T>
void check_every_range() {
    using M = magnitudes<T>;
    ctnn::Random random(3);
    std::array<T, size> v{};
    SECTION("ordinary values (the vectorised sum)") {
        for (T& x : v) x = random.uniform<T>(-1, 1);
        check_norm<Arch>(v);
    }
    SECTION("huge values whose squares overflow") {
        for (T& x : v) x = M::huge * random.uniform<T>(0.5, 1);
        check_norm<Arch>(v);
        v.fill(M::huge);
        check_norm<Arch>(v);  // sqrt(64) huge = 8 huge
    }
    SECTION("values whose norm is beyond T's range, in scaled form") {
        v.fill(-M::largest);
        check_norm<Arch>(v);
    }
    SECTION("tiny values whose squares underflow") {
        for (T& x : v) x = M::tiny * random.uniform<T>(-1, 1);
        check_norm<Arch>(v);
    }
    SECTION("subnormal values") {
        for (T& x : v) x = M::subnormal * random.uniform<T>(-1, 1);
        // The norm is subnormal too: it has as many digits as its distance from the smallest subnormal allows.
        const long double digits = static_cast<long double>(std::numeric_limits<T>::denorm_min()) /
                                   (static_cast<long double>(M::subnormal) / 4);
        check_norm<Arch>(v, 4 * digits);
    }
    SECTION("huge, tiny, subnormal and ordinary values together") {
        for (std::size_t k = 0; k < size; ++k) {
            const T u = random.uniform<T>(-1, 1);
            v[k] = k % 4 == 0 ? M::huge * u : k % 4 == 1 ? M::tiny * u : k % 4 == 2 ? M::subnormal * u : u;
        }
        check_norm<Arch>(v);
        for (std::size_t k = 0; k < size; ++k) v[k] = k % 2 ? M::tiny * random.uniform<T>(-1, 1) : T(1e-3);
        check_norm<Arch>(v);
    }
    SECTION("zeros") {
        check_norm<Arch>(v);
        aligned_array<T, Arch, size> a;
        CHECK(simd::euclidean_norm<Arch, size>(a.values.data()).value() == 0);
    }
}

template <class Arch, class T>
void check_non_finite() {
    for (const T bad : {std::numeric_limits<T>::infinity(), -std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::quiet_NaN()}) {
        // Every position: each accumulator and lane, and the tail.
        for (std::size_t k = 0; k < size; ++k) {
            aligned_array<T, Arch, size> a;
            for (std::size_t i = 0; i < size; ++i) a.values[i] = T(i % 7) - 3;
            a.values[k] = bad;
            INFO("arch " << Arch::name() << ", " << bad << " at " << k);
            CHECK_FALSE(simd::all_finite<Arch, size>(a.values.data()));
            const auto norm = simd::euclidean_norm<Arch, size>(a.values.data());
            CHECK_FALSE(norm.finite());
            if (bad != bad) {
                CHECK(std::isnan(norm.value()));
            } else {
                CHECK(norm.value() == std::numeric_limits<T>::infinity());
            }
            // The largest finite value is finite.
            a.values[k] = std::numeric_limits<T>::max();
            CHECK(simd::all_finite<Arch, size>(a.values.data()));
            CHECK(simd::euclidean_norm<Arch, size>(a.values.data()).finite());
        }
    }
}

template <class Pair>
using arch_of = typename Pair::second_type;

}  // namespace

TEMPLATE_LIST_TEST_CASE("euclidean_norm is right for huge, tiny, subnormal and mixed float values", "[simd][reduce]",
                        archs<float>) {
    check_every_range<arch_of<TestType>, float>();
}

TEMPLATE_LIST_TEST_CASE("euclidean_norm is right for huge, tiny, subnormal and mixed double values", "[simd][reduce]",
                        archs<double>) {
    check_every_range<arch_of<TestType>, double>();
}

TEMPLATE_LIST_TEST_CASE("all_finite and euclidean_norm find an infinity or a NaN anywhere", "[simd][reduce]",
                        archs<float>) {
    check_non_finite<arch_of<TestType>, float>();
    check_non_finite<arch_of<TestType>, double>();
}

TEMPLATE_LIST_TEST_CASE("reduce sums what its step makes of every register, the tail included", "[simd][reduce]",
                        archs<float>) {
    using Arch = arch_of<TestType>;
    using V = simd::vector_t<float, Arch>;
    constexpr std::size_t w = simd::width<float, Arch>;
    // 1, 3, 4, 5 and 9 registers: less than the four accumulators, exactly four, and tails after them.
    auto check = [](auto registers) {
        constexpr std::size_t n = decltype(registers)::value * w;
        aligned_array<float, Arch, n> a;
        for (std::size_t k = 0; k < n; ++k) a.values[k] = static_cast<float>(k + 1);
        const float sum = simd::reduce<Arch, n>(a.values.data(), [](const V& acc, const V& x) { return acc + x; });
        CHECK(sum == static_cast<float>(n * (n + 1) / 2));
    };
    check(std::integral_constant<std::size_t, 1>{});
    check(std::integral_constant<std::size_t, 3>{});
    check(std::integral_constant<std::size_t, 4>{});
    check(std::integral_constant<std::size_t, 5>{});
    check(std::integral_constant<std::size_t, 9>{});
}

TEST_CASE("Blue's constants are LAPACK's for float and double", "[simd][reduce]") {
    // la_constants.f90: tsml, tbig, ssml, sbig from the exponent range and digits of the type.
    using F = ctnn::detail::sum_of_squares<float>;
    CHECK(F::small == std::ldexp(1.0f, -63));
    CHECK(F::big == std::ldexp(1.0f, 52));
    CHECK(F::scale_small == std::ldexp(1.0f, 75));
    CHECK(F::scale_big == std::ldexp(1.0f, -76));
    using D = ctnn::detail::sum_of_squares<double>;
    CHECK(D::small == std::ldexp(1.0, -511));
    CHECK(D::big == std::ldexp(1.0, 486));
    CHECK(D::scale_small == std::ldexp(1.0, 537));
    CHECK(D::scale_big == std::ldexp(1.0, -538));
}
