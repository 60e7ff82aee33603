// The guarded update kernels (include/ctnn/simd/kernels.hpp: subtract_outer_product, subtract_scaled,
// cannot_overflow; include/ctnn/simd/update.hpp: update_parameters; include/ctnn/simd/ops.hpp: finite_residue,
// store_finite) for the instruction set this file is compiled for and, in the baseline build, for
// ctnn::simd::scalar_arch: a lane whose new value overflows T keeps its old value bit for bit, every other lane takes
// the step (against a long double evaluation), padding lanes stay zero, and the kernel says whether every lane was
// stored. The inputs put every new value either below half of T's largest or beyond twice it.

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12 && __GNUC_MINOR__ < 3 && defined(__AVX512F__)
#pragma GCC diagnostic ignored "-Wuninitialized"  // see kernels_test.cpp
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/update.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <vector>

namespace {

namespace simd = ctnn::simd;

#if CTNN_TEST_SCALAR_KERNELS
template <class F>
void for_each_arch(F&& f) {
    f.template operator()<simd::default_arch>();
    f.template operator()<simd::scalar_arch>();
}
#else
template <class F>
void for_each_arch(F&& f) {
    f.template operator()<simd::default_arch>();
}
#endif

template <class T>
constexpr long double largest = std::numeric_limits<T>::max();

/// `Size` values aligned to a register of `Arch`.
template <class T, class Arch, std::size_t Size>
struct aligned_buffer {
    alignas(simd::alignment<T, Arch>) std::array<T, Size> values{};
};

/// Tallies lanes against their long double values: `overflows` lanes must hold `before` bit for bit, the others
/// `expected` to a few units in the last place of the terms' magnitude, and padding lanes zero.
template <class T>
struct lanes {
    std::size_t wrong = 0, overflowed = 0, first = 0;

    void check(std::size_t k, T actual, T before, long double expected, long double magnitude, bool padding) {
        REQUIRE((std::abs(expected) <= largest<T> / 2 || std::abs(expected) >= 2 * largest<T>));
        const bool overflows = std::abs(expected) > largest<T>;
        overflowed += overflows;
        bool right;
        if (padding) {
            right = actual == 0;
        } else if (overflows) {
            right = std::memcmp(&actual, &before, sizeof(T)) == 0;
        } else {
            right = std::abs(static_cast<long double>(actual) - expected) <=
                    4 * std::numeric_limits<T>::epsilon() * magnitude;
        }
        if (!right && wrong++ == 0) first = k;
    }
};

/// A value of magnitude in [lo, 2 lo), of either sign.
template <class T>
T around(ctnn::Random& random, T lo) {
    const T v = lo * (1 + random.uniform<T>(0, 1));
    return random.uniform<T>(-1, 1) < 0 ? -v : v;
}

// ---- subtract_outer_product -----------------------------------------------------------------------------------------

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_guarded_outer_product(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    const T rate = std::numeric_limits<T>::max() / 4;
    for (const T keep : {T(1), T(0.75)}) {
        aligned_buffer<T, Arch, In * padded> w;
        aligned_buffer<T, Arch, padded> dz;
        std::array<T, In> x{};
        // dz: zero in every third lane, else of magnitude 1 to 2. x: tiny (every step below largest / 2), 40 (every
        // step with a nonzero dz beyond 2 largest) or 8 (-rate x itself overflows: a zero dz must still give keep w).
        for (std::size_t o = 0; o < Out; ++o) dz.values[o] = o % 3 == 1 ? T(0) : around<T>(random, T(1));
        for (std::size_t i = 0; i < In; ++i) {
            x[i] = i % 3 == 0   ? around<T>(random, T(1e-3))
                   : i % 3 == 1 ? around<T>(random, T(40))
                                : around<T>(random, T(8));
            for (std::size_t o = 0; o < Out; ++o) w.values[i * padded + o] = random.normal<T>();
        }
        const auto before = w.values;
        const bool all =
            simd::subtract_outer_product<Arch, In, padded>(w.values.data(), x.data(), dz.values.data(), rate, keep);
        lanes<T> l;
        for (std::size_t i = 0; i < In; ++i) {
            for (std::size_t o = 0; o < padded; ++o) {
                const std::size_t k = i * padded + o;
                const long double kept = static_cast<long double>(keep) * before[k];
                const long double step = static_cast<long double>(rate) * x[i] * dz.values[o];
                l.check(k, w.values[k], before[k], kept - step, std::abs(kept) + std::abs(step), o >= Out);
            }
        }
        INFO(Arch::name() << ", In " << In << ", Out " << Out << ", keep " << keep << ": " << l.wrong
                          << " wrong lanes, first " << l.first << "; " << l.overflowed << " overflowed");
        CHECK(l.wrong == 0);
        CHECK(all == (l.overflowed == 0));
        if (In >= 2 && Out >= 1) CHECK(l.overflowed > 0);
    }
}

// ---- subtract_scaled ------------------------------------------------------------------------------------------------

template <class T, class Arch, std::size_t Out>
void check_guarded_scaled(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    const T rate = std::numeric_limits<T>::max() / 4;
    aligned_buffer<T, Arch, padded> y, x;
    for (std::size_t o = 0; o < Out; ++o) {
        y.values[o] = random.normal<T>();
        x.values[o] = o % 3 == 0 ? T(0) : o % 3 == 1 ? around<T>(random, T(1e-3)) : around<T>(random, T(10));
    }
    const auto before = y.values;
    const bool all = simd::subtract_scaled<Arch, padded>(y.values.data(), x.values.data(), rate, T(0.5));
    lanes<T> l;
    for (std::size_t o = 0; o < padded; ++o) {
        const long double kept = 0.5L * before[o], step = static_cast<long double>(rate) * x.values[o];
        l.check(o, y.values[o], before[o], kept - step, std::abs(kept) + std::abs(step), o >= Out);
    }
    INFO(Arch::name() << ", Out " << Out << ": " << l.wrong << " wrong lanes, first " << l.first);
    CHECK(l.wrong == 0);
    CHECK(all == (l.overflowed == 0));
    CHECK(l.overflowed == Out / 3);
}

// ---- update_parameters ----------------------------------------------------------------------------------------------

/// A rule with state, v = 1.5 v + g, w = w - eta v, on lanes of three kinds: small (both finite), a moderate v
/// whose step eta v overflows w (v is finite, and must be kept too), and v beyond T (w then overflows as well).
template <class T, class Arch, std::size_t Size>
void check_guarded_update(ctnn::Random& random) {
    using V = simd::vector_t<T, Arch>;
    const T eta = std::numeric_limits<T>::max() / 8, big = std::numeric_limits<T>::max() / 2;
    aligned_buffer<T, Arch, Size> w, g, v;
    for (std::size_t k = 0; k < Size; ++k) {
        w.values[k] = random.normal<T>();
        const std::size_t kind = k % 3;
        g.values[k] = kind == 0 ? around<T>(random, T(1e-3)) : kind == 1 ? around<T>(random, T(20)) : big;
        v.values[k] = kind == 2 ? big : random.normal<T>() * T(1e-3);
    }
    const auto w0 = w.values, v0 = v.values;
    const V minus_eta(-eta), mu(T(1.5));
    const bool all = simd::update_parameters<Arch, Size>(
        w.values.data(), g.values.data(),
        [=](const V& gr, V& wr, V& vr) {
            vr = simd::fma(mu, vr, gr);
            wr = simd::fma(minus_eta, vr, wr);
        },
        v.values.data());
    lanes<T> lw, lv;
    for (std::size_t k = 0; k < Size; ++k) {
        const long double vn = 1.5L * v0[k] + g.values[k];
        const long double wn = w0[k] - static_cast<long double>(eta) * vn;
        const bool overflows = std::abs(vn) > largest<T> || std::abs(wn) > largest<T>;
        // A lane is kept whole: compare both arrays against the lane's verdict.
        const long double v_terms = std::abs(1.5L * v0[k]) + std::abs(g.values[k]);
        lw.check(k, w.values[k], w0[k], overflows ? 4 * largest<T> : wn,
                 std::abs(w0[k]) + static_cast<long double>(eta) * v_terms, false);
        lv.check(k, v.values[k], v0[k], overflows ? 4 * largest<T> : vn, v_terms, false);
    }
    INFO(Arch::name() << ", Size " << Size << ": " << lw.wrong << " wrong parameters (first " << lw.first << "), "
                      << lv.wrong << " wrong states (first " << lv.first << ")");
    CHECK(lw.wrong == 0);
    CHECK(lv.wrong == 0);
    CHECK(lw.overflowed == (Size + 1) / 3 + Size / 3);
    CHECK(all == (lw.overflowed == 0));
}

}  // namespace

TEMPLATE_TEST_CASE("subtract_outer_product keeps the weights whose update overflows and steps the others",
                   "[kernels][sgd][overflow]", float, double) {
    ctnn::Random random(31);
    for_each_arch([&]<class Arch>() {
        check_guarded_outer_product<TestType, Arch, 1, 1>(random);
        check_guarded_outer_product<TestType, Arch, 3, 7>(random);
        check_guarded_outer_product<TestType, Arch, 9, 16>(random);
        check_guarded_outer_product<TestType, Arch, 17, 33>(random);
    });
}

TEMPLATE_TEST_CASE("subtract_scaled keeps the elements whose update overflows and steps the others",
                   "[kernels][sgd][overflow]", float, double) {
    ctnn::Random random(32);
    for_each_arch([&]<class Arch>() {
        check_guarded_scaled<TestType, Arch, 1>(random);
        check_guarded_scaled<TestType, Arch, 7>(random);
        check_guarded_scaled<TestType, Arch, 33>(random);
    });
}

TEMPLATE_TEST_CASE("update_parameters stores a lane's new values only when all of them are finite",
                   "[kernels][update][overflow]", float, double) {
    ctnn::Random random(33);
    for_each_arch([&]<class Arch>() {
        constexpr std::size_t w = simd::width<TestType, Arch>;
        check_guarded_update<TestType, Arch, w>(random);
        check_guarded_update<TestType, Arch, 3 * w>(random);
        check_guarded_update<TestType, Arch, 16 * w>(random);
    });
}

TEMPLATE_TEST_CASE("finite_residue is 0 exactly in the lanes where every argument is finite", "[kernels][overflow]",
                   float, double) {
    using T = TestType;
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    const T values[] = {T(0), -T(0), T(1.5), -std::numeric_limits<T>::max(), std::numeric_limits<T>::denorm_min(),
                        inf,  -inf,  nan};
    for_each_arch([&]<class Arch>() {
        using V = simd::vector_t<T, Arch>;
        constexpr std::size_t w = simd::width<T, Arch>;
        for (const T a : values) {
            for (const T b : values) {
                aligned_buffer<T, Arch, w> x, y, r;
                x.values.fill(a);
                y.values.fill(b);
                simd::store(r.values.data(),
                            simd::finite_residue(simd::load<V>(x.values.data()), simd::load<V>(y.values.data())));
                const bool finite = std::isfinite(a) && std::isfinite(b);
                for (const T lane : r.values) {
                    INFO(Arch::name() << ": residue of " << a << " and " << b << " is " << lane);
                    CHECK((finite ? lane == T(0) : std::isnan(lane)));
                }
            }
        }
    });
}

TEMPLATE_TEST_CASE("cannot_overflow holds exactly below half an ulp of T's largest value", "[kernels][overflow]", float,
                   double) {
    using T = TestType;
    const T max = std::numeric_limits<T>::max();
    const T ulp = max - std::nextafter(max, T(0));
    const T threshold = ulp / 2;
    const T below = std::nextafter(threshold, T(0));
    volatile T one = 1;  // keep the compiler from folding the sums below
    // Just below the threshold, the largest step added to the largest value stays finite; at it, it does not.
    CHECK(simd::cannot_overflow(T(1), below, T(1)));
    CHECK(std::isfinite(std::fma(below, T(one), max)));
    CHECK_FALSE(simd::cannot_overflow(T(1), threshold, T(1)));
    CHECK(std::isinf(std::fma(threshold, T(one), max)));
    // keep beyond 1 in magnitude, and anything infinite or NaN, fail the test.
    CHECK(simd::cannot_overflow(T(-1), T(1), T(1)));
    CHECK_FALSE(simd::cannot_overflow(std::nextafter(T(1), T(2)), T(1), T(1)));
    const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
    CHECK_FALSE(simd::cannot_overflow(nan, T(1), T(1)));
    CHECK_FALSE(simd::cannot_overflow(T(1), inf, T(0)));
    CHECK_FALSE(simd::cannot_overflow(T(1), T(0), inf));
    CHECK_FALSE(simd::cannot_overflow(T(1), nan, T(1)));
    CHECK_FALSE(simd::cannot_overflow(T(1), T(1), nan));
}
