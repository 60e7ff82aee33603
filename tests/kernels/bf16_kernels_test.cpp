// The bfloat16 weight loads (include/ctnn/simd/bf16_kernels.hpp) for the instruction set this file is compiled for
// (ctnn::simd::default_arch: the intrinsics of SSE2, AVX2 or AVX-512) and, in the baseline build, for
// ctnn::simd::scalar_arch: every bfloat16 pattern widens to its float bit for bit, at any alignment, as the portable
// load does; pairs of registers widen in the pair order (SSE2, AVX2); and the dense kernels (affine, batch_affine) with
// bfloat16 weights give, bit for bit, what they give with the widened float weights.

#include "ctnn/simd/bf16_kernels.hpp"

#include "ctnn/bfloat16.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/batch_kernels.hpp"
#include "ctnn/simd/kernels.hpp"

#include "support/kernel_archs.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace simd = ctnn::simd;

using archs = ctnn_test::kernel_archs;

template <class Tuple, class F>
void for_each_arch(F&& f) {
    [&]<class... Archs>(std::type_identity<std::tuple<Archs...>>) {
        (f(std::type_identity<Archs>{}), ...);
    }(std::type_identity<Tuple>{});
}

std::uint32_t bits_of(float value) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

/// The lanes of a register, stored.
template <class Arch>
std::array<float, simd::width<float, Arch>> lanes_of(const simd::vector_t<float, Arch>& v) {
    alignas(simd::alignment<float, Arch>) std::array<float, simd::width<float, Arch>> out{};
    simd::store(out.data(), v);
    return out;
}

template <class Arch>
void check_every_pattern() {
    using V = simd::vector_t<float, Arch>;
    constexpr std::size_t lanes = simd::width<float, Arch>;
    // Every pattern, then more, so that a load from each offset (at most max(3, lanes)) past the last pattern stays
    // inside.
    std::vector<std::uint16_t> patterns(65536 + 3 + 2 * lanes);
    for (std::size_t k = 0; k < patterns.size(); ++k) patterns[k] = static_cast<std::uint16_t>(k);
    for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{3}, lanes}) {
        std::size_t differ = 0;
        std::string first;
        for (std::size_t start = offset; start < 65536 + offset; start += lanes) {
            const std::uint16_t* p = patterns.data() + start;
            const auto got = lanes_of<Arch>(simd::load_bfloat16<V>(p));
            const auto portable = lanes_of<Arch>(simd::load_bfloat16_portable<V>(p));
            for (std::size_t k = 0; k < lanes; ++k) {
                const std::uint32_t want = static_cast<std::uint32_t>(p[k]) << 16;
                if ((bits_of(got[k]) != want || bits_of(portable[k]) != want) && differ++ == 0) {
                    first = "pattern " + std::to_string(p[k]) + ": " + std::to_string(bits_of(got[k])) + " (portable " +
                            std::to_string(bits_of(portable[k])) + ")";
                }
            }
        }
        INFO(Arch::name() << ", offset " << offset << ": " << differ << " lanes differ; first: " << first);
        CHECK(differ == 0);
    }
}

template <class Arch>
void check_pairs() {
    using V = simd::vector_t<float, Arch>;
    if constexpr (simd::widens_bfloat16_pairs<V>()) {
        constexpr std::size_t lanes = simd::width<float, Arch>;
        ctnn::Random random(3);
        std::array<std::uint16_t, 2 * lanes + 1> p{};
        alignas(64) std::array<float, 2 * lanes> consecutive{};
        for (std::size_t k = 0; k < p.size(); ++k) p[k] = static_cast<std::uint16_t>(random());
        for (std::size_t k = 0; k < 2 * lanes; ++k) consecutive[k] = random.normal<float>();
        for (std::size_t offset : {std::size_t{0}, std::size_t{1}}) {
            V even, odd;
            simd::load_bfloat16_pair(p.data() + offset, even, odd);
            const auto e = lanes_of<Arch>(even), o = lanes_of<Arch>(odd);
            std::size_t differ = 0;
            for (std::size_t m = 0; m < lanes; ++m) {
                differ += bits_of(e[m]) != bits_of(ctnn::bfloat16_to_float(p[offset + 2 * m]));
                differ += bits_of(o[m]) != bits_of(ctnn::bfloat16_to_float(p[offset + 2 * m + 1]));
            }
            CHECK(differ == 0);
        }
        // to_pair_order puts consecutive values in the order of a loaded pair, from_pair_order takes them back.
        V even, odd, a, b;
        simd::to_pair_order(simd::load<V>(consecutive.data()), simd::load<V>(consecutive.data() + lanes), even, odd);
        const auto e = lanes_of<Arch>(even), o = lanes_of<Arch>(odd);
        std::size_t differ = 0;
        for (std::size_t m = 0; m < lanes; ++m) differ += e[m] != consecutive[2 * m] || o[m] != consecutive[2 * m + 1];
        simd::from_pair_order(even, odd, a, b);
        const auto back_a = lanes_of<Arch>(a), back_b = lanes_of<Arch>(b);
        for (std::size_t m = 0; m < lanes; ++m)
            differ += back_a[m] != consecutive[m] || back_b[m] != consecutive[lanes + m];
        CHECK(differ == 0);
    }
}

/// Random weights (zero in the padding lanes) as bfloat16, and the same widened to float.
template <std::size_t In, std::size_t Out, std::size_t Padded>
struct weights {
    alignas(64) std::array<std::uint16_t, In * Padded> bf16{};
    alignas(64) std::array<float, In * Padded> widened{};
    alignas(64) std::array<float, Padded> bias{};

    explicit weights(ctnn::Random& random) {
        for (std::size_t i = 0; i < In; ++i) {
            for (std::size_t o = 0; o < Out; ++o) {
                bf16[i * Padded + o] = ctnn::round_to_bfloat16(random.normal<float>());
                widened[i * Padded + o] = ctnn::bfloat16_to_float(bf16[i * Padded + o]);
            }
        }
        for (std::size_t o = 0; o < Out; ++o) bias[o] = random.normal<float>();
    }
};

template <class Arch, std::size_t In, std::size_t Out>
void check_kernels_agree() {
    constexpr std::size_t padded = simd::padded<float, Arch>(Out);
    constexpr std::size_t samples = 11;
    INFO(Arch::name() << ", In " << In << ", Out " << Out);
    ctnn::Random random(In * 1000 + Out);
    const auto w = std::make_unique<weights<In, Out, padded>>(random);
    std::vector<std::array<float, In>> x(samples);
    for (auto& row : x) {
        for (float& v : row) v = random.normal<float>();
    }

    alignas(64) std::array<float, padded> z_bf16{}, z_float{};
    simd::affine<Arch, In, padded>(w->bf16.data(), w->bias.data(), x[0].data(), z_bf16.data());
    simd::affine<Arch, In, padded>(w->widened.data(), w->bias.data(), x[0].data(), z_float.data());
    std::size_t differ = 0;
    for (std::size_t o = 0; o < padded; ++o) differ += bits_of(z_bf16[o]) != bits_of(z_float[o]);
    CHECK(differ == 0);

    struct rows {
        alignas(64) std::array<std::array<float, padded>, samples> values;
    };
    const auto batch_bf16 = std::make_unique<rows>(), batch_float = std::make_unique<rows>();
    simd::batch_affine<Arch, In, padded>(w->bf16.data(), w->bias.data(), x.data(), batch_bf16->values.data(), samples);
    simd::batch_affine<Arch, In, padded>(w->widened.data(), w->bias.data(), x.data(), batch_float->values.data(),
                                         samples);
    differ = 0;
    for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t o = 0; o < padded; ++o)
            differ += bits_of(batch_bf16->values[s][o]) != bits_of(batch_float->values[s][o]);
    }
    CHECK(differ == 0);
}

}  // namespace

TEST_CASE("load_bfloat16 widens every bfloat16 pattern exactly at any alignment, as the portable load",
          "[bf16_kernels]") {
    for_each_arch<archs>([](auto arch) { check_every_pattern<typename decltype(arch)::type>(); });
}

TEST_CASE("load_bfloat16_pair widens pairs in the pair order, and to_pair_order and from_pair_order match it",
          "[bf16_kernels]") {
    for_each_arch<archs>([](auto arch) { check_pairs<typename decltype(arch)::type>(); });
}

TEST_CASE("affine and batch_affine with bfloat16 weights equal them with the widened float weights", "[bf16_kernels]") {
    for_each_arch<archs>([](auto type) {
        using Arch = typename decltype(type)::type;
        check_kernels_agree<Arch, 1, 1>();
        check_kernels_agree<Arch, 3, 7>();
        check_kernels_agree<Arch, 17, 33>();
        // More output registers than accumulators (a last block with partial sums), and panels of rows.
        check_kernels_agree<Arch, 64, 136>();
        check_kernels_agree<Arch, 300, 128>();
    });
}
