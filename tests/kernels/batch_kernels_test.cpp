// The batched dense-layer kernels (include/ctnn/simd/batch_kernels.hpp), checked against naive double-precision loops
// for the instruction set this file is compiled for (ctnn::simd::default_arch) and, in the baseline build, for
// ctnn::simd::scalar_arch, at
// sample counts below, at and around the micro-kernel's tile, so that every tail path runs.

#include "ctnn/simd/batch_kernels.hpp"

#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace {

namespace simd = ctnn::simd;

// Up to 40 samples: more than a workspace tile (32) and more than five micro-kernel tiles.
constexpr std::size_t max_samples = 40;
constexpr std::size_t sample_counts[] = {1, 2, 5, 6, 7, 8, 9, 13, 32, 40};

template <class T>
constexpr double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;

/// `max_samples` rows of `Length` values, aligned so that every row is (Length is a whole number of registers, or,
/// for input rows, any length: those are read value by value).
template <class T, std::size_t Length>
struct rows {
    alignas(64) std::array<std::array<T, Length>, max_samples> values;
};

/// `Values` normal random numbers in the first `used` lanes of every row, zero in the rest.
template <class T, std::size_t Length>
std::unique_ptr<rows<T, Length>> random_rows(ctnn::Random& random, std::size_t used) {
    auto r = std::make_unique<rows<T, Length>>();
    for (auto& row : r->values) {
        for (std::size_t k = 0; k < Length; ++k) row[k] = k < used ? random.normal<T>() : T(0);
    }
    return r;
}

struct checker {
    checker(std::string what_checked, double allowed) : what(std::move(what_checked)), tolerance(allowed) {}

    std::string what;
    double tolerance;
    std::size_t failures = 0;
    std::string first;

    void near(double actual, double expected, double magnitude, std::size_t s, std::size_t k) {
        if (!(std::abs(actual - expected) <= tolerance * magnitude)) record(actual, expected, s, k);
    }
    void exact(double actual, double expected, std::size_t s, std::size_t k) {
        if (!(actual == expected || (std::isnan(actual) && std::isnan(expected)))) record(actual, expected, s, k);
    }
    void record(double actual, double expected, std::size_t s, std::size_t k) {
        if (failures++ == 0) {
            first = what + ": [" + std::to_string(s) + "][" + std::to_string(k) + "] = " + std::to_string(actual) +
                    " instead of " + std::to_string(expected);
        }
    }
    void report() const {
        INFO(first);
        CHECK(failures == 0);
    }
};

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_batch_affine(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    constexpr std::size_t z_length = padded + simd::width<T, Arch>;  // longer rows: the lanes past Padded stay
    auto w = random_rows<T, padded>(random, Out);                    // rows 0..In-1 are the weights
    static_assert(In <= max_samples);
    auto b = random_rows<T, padded>(random, Out);  // row 0 is the bias
    auto x = random_rows<T, In>(random, In);
    for (std::size_t samples : sample_counts) {
        auto z = std::make_unique<rows<T, z_length>>();
        for (auto& row : z->values) row.fill(std::numeric_limits<T>::quiet_NaN());
        simd::batch_affine<Arch, In, padded>(w->values[0].data(), b->values[0].data(), x->values.data(),
                                             z->values.data(), samples);
        checker c("batch_affine " + std::string(Arch::name()) + " In=" + std::to_string(In) +
                      " Out=" + std::to_string(Out) + " samples=" + std::to_string(samples),
                  tolerance<T>);
        for (std::size_t s = 0; s < max_samples; ++s) {
            for (std::size_t o = 0; o < z_length; ++o) {
                const double actual = z->values[s][o];
                if (s >= samples || o >= padded) {
                    c.exact(actual, std::numeric_limits<double>::quiet_NaN(), s, o);  // not written
                } else if (o >= Out) {
                    c.exact(actual, 0, s, o);  // zero padding in W and b
                } else {
                    double expected = b->values[0][o], magnitude = std::abs(expected);
                    for (std::size_t i = 0; i < In; ++i) {
                        const double term = double(x->values[s][i]) * double(w->values[i][o]);
                        expected += term;
                        magnitude += std::abs(term);
                    }
                    c.near(actual, expected, magnitude, s, o);
                }
            }
        }
        c.report();
    }
}

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_batch_gradients(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    auto x = random_rows<T, In>(random, In);
    auto dz = random_rows<T, padded>(random, Out);
    for (std::size_t samples : sample_counts) {
        auto dw = random_rows<T, padded>(random, Out);  // rows 0..In-1: the weight gradient so far
        auto db = random_rows<T, padded>(random, Out);  // row 0: the bias gradient so far
        const auto dw_before = *dw;
        const auto db_before = *db;
        simd::batch_add_outer_products<Arch, In, padded>(dw->values[0].data(), x->values.data(), dz->values.data(),
                                                         samples);
        simd::batch_add_rows<Arch, padded>(db->values[0].data(), dz->values.data(), samples);
        checker c("batch_add_outer_products / batch_add_rows " + std::string(Arch::name()) + " In=" +
                      std::to_string(In) + " Out=" + std::to_string(Out) + " samples=" + std::to_string(samples),
                  tolerance<T>);
        for (std::size_t i = 0; i < max_samples; ++i) {
            for (std::size_t o = 0; o < padded; ++o) {
                const double actual = dw->values[i][o];
                if (i >= In) {
                    c.exact(actual, dw_before.values[i][o], i, o);  // past the weights: untouched
                } else if (o >= Out) {
                    c.exact(actual, 0, i, o);  // zero padding in dz keeps that of dw zero
                } else {
                    double expected = dw_before.values[i][o], magnitude = std::abs(expected);
                    for (std::size_t s = 0; s < samples; ++s) {
                        const double term = double(x->values[s][i]) * double(dz->values[s][o]);
                        expected += term;
                        magnitude += std::abs(term);
                    }
                    c.near(actual, expected, magnitude, i, o);
                }
            }
        }
        for (std::size_t o = 0; o < padded; ++o) {
            double expected = db_before.values[0][o], magnitude = std::abs(expected);
            for (std::size_t s = 0; s < samples; ++s) {
                expected += dz->values[s][o];
                magnitude += std::abs(double(dz->values[s][o]));
            }
            c.near(db->values[0][o], expected, magnitude, max_samples, o);
        }
        c.report();
    }
}

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_batch_transposed_products(ctnn::Random& random) {
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    constexpr T sentinel = T(12345);
    auto w = random_rows<T, padded>(random, Out);  // rows 0..In-1 are the weights
    auto dz = random_rows<T, padded>(random, Out);
    for (std::size_t samples : sample_counts) {
        auto dx = std::make_unique<rows<T, In + 1>>();  // one value more per row: it must stay
        for (auto& row : dx->values) row.fill(sentinel);
        simd::batch_transposed_products<Arch, In, padded>(w->values[0].data(), dz->values.data(), dx->values.data(),
                                                          samples);
        checker c("batch_transposed_products " + std::string(Arch::name()) + " In=" + std::to_string(In) +
                      " Out=" + std::to_string(Out) + " samples=" + std::to_string(samples),
                  tolerance<T>);
        for (std::size_t s = 0; s < max_samples; ++s) {
            for (std::size_t i = 0; i <= In; ++i) {
                if (s >= samples || i == In) {
                    c.exact(dx->values[s][i], sentinel, s, i);  // not written
                    continue;
                }
                double expected = 0, magnitude = 0;
                for (std::size_t o = 0; o < Out; ++o) {
                    const double term = double(w->values[i][o]) * double(dz->values[s][o]);
                    expected += term;
                    magnitude += std::abs(term);
                }
                c.near(dx->values[s][i], expected, magnitude, s, i);
            }
        }
        c.report();
    }
}

template <class... Ts>
struct type_list {};

template <std::size_t In, std::size_t Out>
struct shape {
    static constexpr std::size_t in = In;
    static constexpr std::size_t out = Out;
};

// Sizes of one register, less than one, a whole number of them and one lane more, for every width, and inputs
// below, at and past the micro-kernel's tile of inputs.
using shapes = type_list<shape<1, 1>, shape<3, 7>, shape<7, 3>, shape<9, 16>, shape<17, 33>, shape<33, 17>,
                         shape<1, 64>, shape<40, 1>, shape<33, 64>>;
// The scalar kernels only in the build without instruction-set flags, as in kernels_test.cpp.
#if CTNN_TEST_SCALAR_KERNELS
using archs = type_list<simd::default_arch, simd::scalar_arch>;
#else
using archs = type_list<simd::default_arch>;
#endif

template <class F, class... Archs, class... Shapes>
void for_each_arch_and_shape(type_list<Archs...> /*archs*/, type_list<Shapes...> /*shapes*/, F&& f) {
    auto for_arch = [&]<class Arch>() { (f.template operator()<Arch, Shapes::in, Shapes::out>(), ...); };
    (for_arch.template operator()<Archs>(), ...);
}

}  // namespace

TEMPLATE_TEST_CASE("batch_affine computes b + W^T x for every sample and writes nothing else",
                   "[kernels][batch_affine]", float, double) {
    ctnn::Random random(11);
    for_each_arch_and_shape(archs{}, shapes{}, [&]<class Arch, std::size_t In, std::size_t Out>() {
        check_batch_affine<TestType, Arch, In, Out>(random);
    });
}

TEMPLATE_TEST_CASE("batch_add_outer_products and batch_add_rows add a batch's weight and bias gradients",
                   "[kernels][batch_gradients]", float, double) {
    ctnn::Random random(12);
    for_each_arch_and_shape(archs{}, shapes{}, [&]<class Arch, std::size_t In, std::size_t Out>() {
        check_batch_gradients<TestType, Arch, In, Out>(random);
    });
}

TEMPLATE_TEST_CASE("batch_transposed_products computes W dz for every sample and writes exactly In values",
                   "[kernels][batch_transposed_products]", float, double) {
    ctnn::Random random(13);
    for_each_arch_and_shape(archs{}, shapes{}, [&]<class Arch, std::size_t In, std::size_t Out>() {
        check_batch_transposed_products<TestType, Arch, In, Out>(random);
    });
}

TEMPLATE_TEST_CASE("sums_of puts the sum of register k's lanes in lane k", "[kernels][sums_of]", float, double) {
    // Each register's lanes hold distinct integers (exact sums), so a lane that gets another register's sum, or a
    // sum that misses a lane, shows. (xsimd 8.1's AVX-512 haddp swaps the sums of registers 2, 3 with 4, 5.)
    using T = TestType;
    using Arch = simd::default_arch;
    using V = simd::vector_t<T, Arch>;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    alignas(64) T values[lanes][lanes];
    V acc[lanes];
    for (std::size_t k = 0; k < lanes; ++k) {
        for (std::size_t l = 0; l < lanes; ++l) values[k][l] = T(k * 1000 + (l + 1) * (l + 1));
        acc[k] = simd::load<V>(values[k]);
    }
    alignas(64) T sums[lanes];
    simd::store(sums, simd::detail::sums_of(acc));
    for (std::size_t k = 0; k < lanes; ++k) {
        T expected = 0;
        for (std::size_t l = 0; l < lanes; ++l) expected += values[k][l];
        INFO(Arch::name() << ": register " << k);
        CHECK(sums[k] == expected);
    }
}
