// The narrow-layer batch kernel (include/ctnn/simd/narrow_kernels.hpp), checked against naive double-precision loops
// for the instruction set this file is compiled for (ctnn::simd::default_arch): every output of every sample, with an
// activation that differs per output (so an output in the wrong lane or row shows), the padding lanes it must write,
// the rows it must not touch, bfloat16 weights, and sample counts around a register and a block of registers.

#include "ctnn/simd/narrow_kernels.hpp"

#include "ctnn/bfloat16.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>

namespace {

namespace simd = ctnn::simd;

constexpr std::size_t max_samples = 70;
// One sample; a register of samples (up to 16) less one, whole and one more; the kernel's block of four registers
// and past it; a batch tile (32) and more.
constexpr std::size_t sample_counts[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70};

/// Output o's activation in the test: a different affine map per output, so that each value shows which output and
/// which sample it was computed for; f(0, o) = o + 1 for the padding.
template <class V>
V activation_of(const V& z, std::size_t o) {
    using T = simd::scalar_t<V>;
    return z * V(T(o + 2)) + V(T(o + 1));
}

template <class T, class Arch, std::size_t In, std::size_t Out, class W>
void check_narrow(ctnn::Random& random) {
    using V = simd::vector_t<T, Arch>;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    constexpr std::size_t padded_in = simd::padded<T, Arch>(In);
    constexpr std::size_t padded = simd::padded<T, Arch>(Out);
    static_assert(simd::is_narrow_layer<T, Arch, In, Out, padded_in>);
    constexpr std::size_t y_length = padded + lanes;  // the lanes past the row's register stay

    // Weights input-major, In rows of `padded`, zero past Out; as W (T, or bfloat16 bits) and as the values they hold.
    alignas(64) std::array<W, In * padded> w{};
    std::array<double, In * padded> w_values{};
    for (std::size_t i = 0; i < In; ++i) {
        for (std::size_t o = 0; o < Out; ++o) {
            const T value = random.normal<T>();
            if constexpr (std::is_same_v<W, T>) {
                w[i * padded + o] = value;
                w_values[i * padded + o] = value;
            } else {
                w[i * padded + o] = ctnn::round_to_bfloat16(value);
                w_values[i * padded + o] = ctnn::bfloat16_to_float(w[i * padded + o]);
            }
        }
    }
    alignas(64) std::array<T, padded> b{};
    for (std::size_t o = 0; o < Out; ++o) b[o] = random.normal<T>();
    // Input rows of padded(In) values: the lanes past In finite and not zero (the kernel multiplies them by zero).
    auto x = std::make_unique<std::array<std::array<T, padded_in>, max_samples>>();
    for (auto& row : *x) {
        for (std::size_t i = 0; i < padded_in; ++i) row[i] = i < In ? random.normal<T>() : T(1000);
    }

    for (std::size_t samples : sample_counts) {
        struct alignas(64) y_rows {
            std::array<std::array<T, y_length>, max_samples> values;
        };
        auto y = std::make_unique<y_rows>();
        for (auto& row : y->values) row.fill(std::numeric_limits<T>::quiet_NaN());
        simd::batch_affine_activate_narrow<Arch, In, Out, padded, padded>(
            w.data(), b.data(), x->data(), y->values.data(), samples,
            [](const V& z, std::size_t o) { return activation_of(z, o); });

        std::size_t failures = 0;
        std::string first;
        auto fail = [&](std::size_t s, std::size_t o, double actual, double expected) {
            if (failures++ == 0) {
                first = std::string(Arch::name()) + " In=" + std::to_string(In) + " Out=" + std::to_string(Out) +
                        " samples=" + std::to_string(samples) + ": y[" + std::to_string(s) + "][" + std::to_string(o) +
                        "] = " + std::to_string(actual) + " instead of " + std::to_string(expected);
            }
        };
        for (std::size_t s = 0; s < max_samples; ++s) {
            for (std::size_t o = 0; o < y_length; ++o) {
                const double actual = y->values[s][o];
                if (s >= samples || o >= padded) {
                    if (!std::isnan(actual)) fail(s, o, actual, std::numeric_limits<double>::quiet_NaN());
                } else if (o >= Out) {
                    if (actual != double(o + 1)) fail(s, o, actual, double(o + 1));  // f(0, o)
                } else {
                    double z = b[o], magnitude = std::abs(z);
                    for (std::size_t i = 0; i < In; ++i) {
                        const double term = double((*x)[s][i]) * w_values[i * padded + o];
                        z += term;
                        magnitude += std::abs(term);
                    }
                    const double expected = z * double(o + 2) + double(o + 1);
                    const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;
                    if (!(std::abs(actual - expected) <= tolerance * (magnitude + 1) * double(o + 2))) {
                        fail(s, o, actual, expected);
                    }
                }
            }
        }
        INFO(first);
        CHECK(failures == 0);
    }
}

template <class T, class W = T>
void check_narrow_shapes(ctnn::Random& random) {
    using Arch = simd::default_arch;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    if constexpr (lanes >= 2) {
        // One output, and as many as the kernel takes (half a register); inputs less than a register, one, and more.
        check_narrow<T, Arch, 1, 1, W>(random);
        check_narrow<T, Arch, 3, 1, W>(random);
        check_narrow<T, Arch, lanes, 1, W>(random);
        check_narrow<T, Arch, 33, 1, W>(random);
        check_narrow<T, Arch, 3, lanes / 2, W>(random);
        check_narrow<T, Arch, 33, lanes / 2, W>(random);
        if constexpr (lanes >= 8) check_narrow<T, Arch, 17, 3, W>(random);
    }
}

}  // namespace

TEMPLATE_TEST_CASE("batch_affine_activate_narrow computes f(b + W^T x) a sample a lane and writes each row whole",
                   "[kernels][narrow]", float, double) {
    ctnn::Random random(21);
    check_narrow_shapes<TestType>(random);
}

TEST_CASE("batch_affine_activate_narrow widens bfloat16 weights exactly", "[kernels][narrow][bfloat16]") {
    ctnn::Random random(22);
    check_narrow_shapes<float, std::uint16_t>(random);
}

namespace {
// A template, so that the checks for registers of four lanes or more are discarded where there are fewer (the
// scalar build): in an ordinary function `if constexpr` would still evaluate them.
template <class Arch>
void check_narrow_rule() {
    constexpr std::size_t lanes = simd::width<float, Arch>;
    STATIC_REQUIRE_FALSE(simd::is_narrow_layer<float, simd::scalar_arch, 16, 1, 16>);
    if constexpr (lanes >= 4) {
        STATIC_REQUIRE(simd::is_narrow_layer<float, Arch, 16, lanes / 2, 16>);
        STATIC_REQUIRE_FALSE(simd::is_narrow_layer<float, Arch, 16, lanes / 2 + 1, 16>);
        // An input row of exactly In = 3 values (a network's input) cannot be loaded a register at a time.
        STATIC_REQUIRE_FALSE(simd::is_narrow_layer<float, Arch, 3, 1, 3>);
        STATIC_REQUIRE(simd::is_narrow_layer<float, Arch, 3, 1, lanes>);
        // Columns past 8 KB are not copied to the stack.
        STATIC_REQUIRE_FALSE(simd::is_narrow_layer<float, Arch, 4096, 1, 4096>);
    }
}
}  // namespace

TEST_CASE("Narrow layers: at most half a register of outputs, input rows of whole registers, small columns",
          "[kernels][narrow]") {
    check_narrow_rule<simd::default_arch>();
}
