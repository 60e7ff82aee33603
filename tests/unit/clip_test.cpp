// ctnn::gradient_norm and ctnn::clip_gradient_norm (include/ctnn/train/clip.hpp) for gradients whose squares leave
// T's range: the norm and the clipped gradients against long double arithmetic, on networks whose layer widths are
// not whole registers (so padding lanes come along), in float and double, on the default architecture and scalar_arch.

#include <ctnn/ctnn.hpp>

#include "support/magnitudes.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

using namespace ctnn;

namespace {

template <class T>
using magnitudes = ctnn_test::magnitudes<T>;

template <class Net>
void set_gradients(Gradients<Net>& g, const std::vector<typename Net::value_type>& values) {
    for (std::size_t k = 0; k < values.size(); ++k) g.storage()[Net::storage_index(k)] = values[k];
}

template <class T>
long double oracle_norm(const std::vector<T>& values) {
    long double sum = 0;
    for (T v : values) sum += static_cast<long double>(v) * static_cast<long double>(v);
    return std::sqrt(sum);
}

/// gradient_norm, and clip_gradient_norm to `max_norm`, of gradients with `values` in canonical order, against long
/// double: the norm within `relative`, every clipped gradient within `relative` of g max_norm / norm (or of g when
/// the norm is at most max_norm), padding lanes still zero.
template <class Net>
void check_clip(const std::vector<typename Net::value_type>& values, typename Net::value_type max_norm,
                long double relative) {
    using T = typename Net::value_type;
    auto g = std::make_unique<Gradients<Net>>();
    set_gradients(*g, values);
    const long double norm = oracle_norm(values);
    const long double largest = std::numeric_limits<T>::max();
    INFO("norm " << static_cast<double>(norm) << ", max_norm " << max_norm);
    const T computed = gradient_norm(*g);
    if (norm <= largest) {
        CHECK(std::fabs(static_cast<long double>(computed) - norm) <= relative * norm);
    } else {
        CHECK(computed == std::numeric_limits<T>::infinity());
    }
    CHECK(clip_gradient_norm(*g, max_norm) == computed);
    const long double factor = norm > max_norm ? max_norm / norm : 1;
    for (std::size_t k = 0; k < values.size(); ++k) {
        const long double want = static_cast<long double>(values[k]) * factor;
        INFO("gradient " << k << " = " << values[k] << ": want " << static_cast<double>(want) << ", got " << (*g)[k]);
        // An absolute part for results that are subnormal, or negligible against the norm.
        CHECK(std::fabs(static_cast<long double>((*g)[k]) - want) <=
              relative * std::fabs(want) + 2 * static_cast<long double>(std::numeric_limits<T>::denorm_min()) +
                  relative * max_norm * std::numeric_limits<T>::epsilon());
    }
    std::array<bool, Net::storage_size> used{};
    Net::for_each_parameter([&](std::size_t, std::size_t s) { used[s] = true; });
    for (std::size_t s = 0; s < Net::storage_size; ++s) {
        if (!used[s]) CHECK(g->storage()[s] == 0);
    }
}

template <class Arch, class T>
using Odd = BasicNetwork<Arch, T, Input<3>, Dense<5, Tanh>, Dense<3, Linear>>;  // 38 parameters

template <class Arch, class T>
void check_every_range() {
    using Net = Odd<Arch, T>;
    using M = magnitudes<T>;
    constexpr long double eps = std::numeric_limits<T>::epsilon();
    Random random(11);
    std::vector<T> v(Net::parameter_count);
    auto fill = [&](T magnitude) {
        for (T& x : v) x = magnitude * random.uniform<T>(-1, 1);
    };
    SECTION("ordinary gradients, clipped and not") {
        fill(1);
        check_clip<Net>(v, T(0.5), 16 * eps);
        check_clip<Net>(v, T(100), 16 * eps);
    }
    SECTION("huge gradients, whose squares overflow") {
        fill(M::huge);
        check_clip<Net>(v, T(1), 16 * eps);
    }
    SECTION("gradients whose norm is beyond T's range are still clipped") {
        fill(M::largest);
        check_clip<Net>(v, T(1), 16 * eps);
        check_clip<Net>(v, T(1e-3), 16 * eps);
    }
    SECTION("tiny gradients, whose squares underflow, clipped to a tiny norm") {
        fill(M::tiny);
        check_clip<Net>(v, M::tiny / 8, 16 * eps);
    }
    SECTION("subnormal gradients") {
        fill(M::subnormal);
        const long double digits =
            static_cast<long double>(std::numeric_limits<T>::denorm_min()) / static_cast<long double>(M::subnormal);
        check_clip<Net>(v, M::subnormal, 64 * digits);
    }
    SECTION("huge, tiny, subnormal and ordinary gradients together") {
        for (std::size_t k = 0; k < v.size(); ++k) {
            const T u = random.uniform<T>(-1, 1);
            v[k] = k % 4 == 0 ? M::huge * u : k % 4 == 1 ? M::tiny * u : k % 4 == 2 ? M::subnormal * u : u;
        }
        check_clip<Net>(v, T(1), 16 * eps);
    }
}

}  // namespace

TEST_CASE("Four float gradients of 1e19 have the norm 2e19 and clip to 0.5 each", "[clip]") {
    using Net = Network<float, Input<1>, Dense<2, Linear>>;  // exactly four parameters
    STATIC_REQUIRE(Net::parameter_count == 4);
    Gradients<Net> g;
    set_gradients(g, {1e19f, 1e19f, 1e19f, 1e19f});
    CHECK(gradient_norm(g) == Approx(2e19f).epsilon(1e-6));
    CHECK(clip_gradient_norm(g, 1.0f) == Approx(2e19f).epsilon(1e-6));
    for (std::size_t k = 0; k < 4; ++k) CHECK(g[k] == Approx(0.5f).epsilon(1e-6));
}

TEST_CASE("Four double gradients of 1e300 have the norm 2e300 and clip to 0.5 each", "[clip]") {
    using Net = Network<double, Input<1>, Dense<2, Linear>>;
    Gradients<Net> g;
    set_gradients(g, {1e300, -1e300, 1e300, -1e300});
    CHECK(gradient_norm(g) == Approx(2e300).epsilon(1e-14));
    CHECK(clip_gradient_norm(g, 1.0) == Approx(2e300).epsilon(1e-14));
    for (std::size_t k = 0; k < 4; ++k) CHECK(std::fabs(g[k]) == Approx(0.5).epsilon(1e-14));
}

TEMPLATE_TEST_CASE("gradient_norm and clip_gradient_norm are right from subnormal to beyond T's range", "[clip]", float,
                   double) {
    check_every_range<simd::default_arch, TestType>();
}

TEMPLATE_TEST_CASE("gradient_norm and clip_gradient_norm are right on scalar_arch too", "[clip]", float, double) {
    check_every_range<simd::scalar_arch, TestType>();
}

TEMPLATE_TEST_CASE("Gradients that are not all finite are not clipped", "[clip]", float, double) {
    using T = TestType;
    using Net = Odd<simd::default_arch, T>;
    for (const T bad : {std::numeric_limits<T>::infinity(), std::numeric_limits<T>::quiet_NaN()}) {
        std::vector<T> v(Net::parameter_count, T(3));
        v[7] = bad;
        Gradients<Net> g;
        set_gradients(g, v);
        const T norm = clip_gradient_norm(g, T(1));
        CHECK_FALSE(std::isfinite(norm));
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (k != 7) CHECK(g[k] == T(3));
        }
    }
}
