// The binary16 weight loads (include/ctnn/simd/f16_kernels.hpp) for the instruction set this file is compiled for
// (ctnn::simd::default_arch) and, in the baseline build, for ctnn::simd::scalar_arch: every binary16 pattern widens to
// float16_to_float's float bit for bit, at any alignment, through load_float16 (VCVTPH2PS in the builds with F16C,
// kernels_f16c, and with AVX-512F, kernels_avx512; the portable conversion elsewhere) and load_float16_portable alike;
// where the compiler targets F16C, round_to_float16 agrees with VCVTPS2PH (imm8 0, round to nearest even) on every
// binary16 value's neighbourhood and on NaNs; and the dense kernels (affine, batch_affine, row_affine) with binary16
// weights give, bit for bit, what they give with the widened float weights.

#include "ctnn/simd/f16_kernels.hpp"

#include "ctnn/float16.hpp"
#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/batch_kernels.hpp"
#include "ctnn/simd/kernels.hpp"
#include "ctnn/simd/row_kernels.hpp"

#include "support/kernel_archs.hpp"

#include <catch2/catch.hpp>

#if defined(__F16C__)
#include <immintrin.h>
#endif

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
using simd::Float16Bits;

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
    INFO(Arch::name() << (simd::widens_float16_in_registers<V>() ? ": widening instruction" : ": portable"));
    // Every pattern, then more, so that a load from each offset (at most max(3, lanes)) past the last pattern stays
    // inside.
    std::vector<Float16Bits> patterns(65536 + 3 + 2 * lanes);
    for (std::size_t k = 0; k < patterns.size(); ++k) patterns[k] = static_cast<Float16Bits>(k & 0xffffu);
    for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{3}, lanes}) {
        std::size_t differ = 0;
        std::string first;
        for (std::size_t start = offset; start < 65536 + offset; start += lanes) {
            const Float16Bits* p = patterns.data() + start;
            const auto got = lanes_of<Arch>(simd::load_float16<V>(p));
            const auto portable = lanes_of<Arch>(simd::load_float16_portable<V>(p));
            for (std::size_t k = 0; k < lanes; ++k) {
                const std::uint32_t want = bits_of(ctnn::float16_to_float(static_cast<std::uint16_t>(p[k])));
                if ((bits_of(got[k]) != want || bits_of(portable[k]) != want) && differ++ == 0) {
                    first = "pattern " + std::to_string(static_cast<unsigned>(p[k])) + ": " +
                            std::to_string(bits_of(got[k])) + " (portable " + std::to_string(bits_of(portable[k])) +
                            ")";
                }
            }
        }
        INFO("offset " << offset << ": " << differ << " lanes differ; first: " << first);
        CHECK(differ == 0);
    }
}

/// Random weights (zero in the padding) as binary16, and the same widened to float.
template <std::size_t Size>
struct weights {
    alignas(64) std::array<Float16Bits, Size> f16{};
    alignas(64) std::array<float, Size> widened{};
};

/// `In` rows of `Padded` values, the first `Out` of each random (normal, a few far outside binary16's range or in its
/// subnormals), the rest zero.
template <std::size_t In, std::size_t Out, std::size_t Padded>
std::unique_ptr<weights<In * Padded>> random_weights(ctnn::Random& random) {
    auto w = std::make_unique<weights<In * Padded>>();
    for (std::size_t i = 0; i < In; ++i) {
        for (std::size_t o = 0; o < Out; ++o) {
            const float scale = o % 7 == 3 ? 1e-6f : o % 11 == 5 ? 1e3f : 1.0f;
            const std::uint16_t bits = ctnn::round_to_float16(scale * random.normal<float>());
            w->f16[i * Padded + o] = static_cast<Float16Bits>(bits);
            w->widened[i * Padded + o] = ctnn::float16_to_float(bits);
        }
    }
    return w;
}

template <class Arch, std::size_t In, std::size_t Out>
void check_kernels_agree() {
    constexpr std::size_t padded = simd::padded<float, Arch>(Out);
    constexpr std::size_t samples = 11;
    INFO(Arch::name() << ", In " << In << ", Out " << Out);
    ctnn::Random random(In * 1000 + Out);
    const auto w = random_weights<In, Out, padded>(random);
    alignas(64) std::array<float, padded> bias{};
    for (std::size_t o = 0; o < Out; ++o) bias[o] = random.normal<float>();
    std::vector<std::array<float, In>> x(samples);
    for (auto& row : x) {
        for (float& v : row) v = random.normal<float>();
    }

    alignas(64) std::array<float, padded> z_f16{}, z_float{};
    simd::affine<Arch, In, padded>(w->f16.data(), bias.data(), x[0].data(), z_f16.data());
    simd::affine<Arch, In, padded>(w->widened.data(), bias.data(), x[0].data(), z_float.data());
    std::size_t differ = 0;
    for (std::size_t o = 0; o < padded; ++o) differ += bits_of(z_f16[o]) != bits_of(z_float[o]);
    CHECK(differ == 0);

    struct rows {
        alignas(64) std::array<std::array<float, padded>, samples> values;
    };
    const auto batch_f16 = std::make_unique<rows>(), batch_float = std::make_unique<rows>();
    simd::batch_affine<Arch, In, padded>(w->f16.data(), bias.data(), x.data(), batch_f16->values.data(), samples);
    simd::batch_affine<Arch, In, padded>(w->widened.data(), bias.data(), x.data(), batch_float->values.data(), samples);
    differ = 0;
    for (std::size_t s = 0; s < samples; ++s) {
        for (std::size_t o = 0; o < padded; ++o)
            differ += bits_of(batch_f16->values[s][o]) != bits_of(batch_float->values[s][o]);
    }
    CHECK(differ == 0);
}

/// A one-output layer's row kernel: In weights (zeros to whole registers).
template <class Arch, std::size_t In>
void check_row_agrees() {
    constexpr std::size_t lanes = simd::width<float, Arch>;
    constexpr std::size_t row = simd::padded<float, Arch>(In);
    INFO(Arch::name() << ", row of " << In);
    ctnn::Random random(In);
    const auto w = random_weights<1, In, row>(random);
    alignas(64) std::array<float, lanes> bias{}, z_f16{}, z_float{};
    bias[0] = random.normal<float>();
    std::array<float, In> x{};
    for (float& v : x) v = random.normal<float>();
    simd::row_affine<Arch, In, lanes>(w->f16.data(), bias.data(), x.data(), z_f16.data());
    simd::row_affine<Arch, In, lanes>(w->widened.data(), bias.data(), x.data(), z_float.data());
    std::size_t differ = 0;
    for (std::size_t o = 0; o < lanes; ++o) differ += bits_of(z_f16[o]) != bits_of(z_float[o]);
    CHECK(differ == 0);
}

}  // namespace

TEST_CASE("load_float16 widens every binary16 pattern exactly at any alignment, as the portable load",
          "[f16_kernels]") {
    for_each_arch<archs>([](auto arch) { check_every_pattern<typename decltype(arch)::type>(); });
#if CTNN_SIMD && XSIMD_WITH_AVX
    // 128-bit registers in a build for wider ones: VCVTPH2PS's xmm form where the build has F16C.
    check_every_pattern<xsimd::sse2>();
#endif
}

TEST_CASE("load_float16 takes the widening instruction where the build targets one", "[f16_kernels]") {
    using V = simd::vector_t<float, simd::default_arch>;
#if defined(__AVX512F__) || defined(__aarch64__) || defined(__F16C__)
    constexpr bool instruction = !simd::is_scalar<V>;
#else
    constexpr bool instruction = false;
#endif
    CHECK(simd::widens_float16_in_registers<V>() == instruction);
    CHECK_FALSE(simd::widens_float16_in_registers<float>());
}

#if defined(__F16C__)
TEST_CASE("round_to_float16 and float16_to_float agree with F16C's VCVTPS2PH and VCVTPH2PS", "[f16_kernels]") {
    const auto hardware_round = [](float value) {
        return static_cast<std::uint16_t>(_mm_extract_epi16(_mm_cvtps_ph(_mm_set1_ps(value), 0), 0));
    };
    std::size_t differ = 0, checked = 0;
    std::string first;
    const auto check = [&](std::uint32_t bits) {
        float value = 0;
        std::memcpy(&value, &bits, sizeof value);
        const std::uint16_t got = ctnn::round_to_float16(value), want = hardware_round(value);
        ++checked;
        if (got != want && differ++ == 0) {
            first = std::to_string(bits) + ": " + std::to_string(got) + " instead of " + std::to_string(want);
        }
    };
    // Every binary16 pattern widened (NaNs included), and the floats around it and its midpoint with the next.
    for (std::uint32_t half = 0; half < 65536; ++half) {
        const float h = _mm_cvtss_f32(_mm_cvtph_ps(_mm_set1_epi16(static_cast<short>(half))));
        const std::uint32_t hb = bits_of(h);
        differ += hb != bits_of(ctnn::float16_to_float(static_cast<std::uint16_t>(half)));
        for (std::uint32_t d = 0; d < 8; ++d) check(hb + d * 0x200u - 1);
        check(hb + 0x1000u);  // the midpoint of a normal and its successor
    }
    // NaN payloads at every bit.
    for (std::uint32_t bit = 0; bit < 23; ++bit) {
        check(0x7f800000u | (1u << bit));
        check(0xff800000u | (1u << bit) | 0x3u);
    }
    INFO(checked << " floats; first difference: " << first);
    CHECK(differ == 0);
}
#endif

TEST_CASE("affine, batch_affine and row_affine with binary16 weights equal them with the widened float weights",
          "[f16_kernels]") {
    for_each_arch<archs>([](auto type) {
        using Arch = typename decltype(type)::type;
        check_kernels_agree<Arch, 1, 1>();
        check_kernels_agree<Arch, 3, 7>();
        check_kernels_agree<Arch, 17, 33>();
        // More output registers than accumulators (a last block with partial sums), and panels of rows.
        check_kernels_agree<Arch, 64, 136>();
        check_kernels_agree<Arch, 300, 128>();
        check_row_agrees<Arch, 1>();
        check_row_agrees<Arch, 19>();
        check_row_agrees<Arch, 64>();
    });
}
