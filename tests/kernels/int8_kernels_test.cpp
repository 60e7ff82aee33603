// The int8 matrix-vector kernels (include/ctnn/simd/int8_kernels.hpp) for the instruction set this file is compiled for
// (ctnn::simd::default_arch: SSE2, AVX2, AVX-512 with or without VNNI, NEON on AArch64) and, in the baseline build, for
// ctnn::simd::scalar_arch: the checks of support/int8_kernel_checks.hpp (every shape of its list, random and extreme
// values, every sample count up to two tiles and one more, varying alignments, operands ending at their buffers' ends),
// and the extremes' sums in closed form.

#include "ctnn/simd/int8_kernels.hpp"

#include "ctnn/simd/arch.hpp"

#include "support/int8_kernel_checks.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>

namespace {

namespace simd = ctnn::simd;

template <class Arch>
void check(int8_checks::Fill fill) {
    int8_checks::result r;
    int8_checks::check_shapes<Arch>(fill, {}, r);
    const int8_checks::failure& f = r.first;
    INFO(Arch::name() << ": " << r.failed << " of " << r.checked << " sums differ; first: " << f.kernel << " " << f.out
                      << "x" << f.in << " stride " << f.stride << " slack " << f.slack << ", " << f.samples
                      << " samples, sum " << f.index << ": " << f.got << ", want " << f.want);
    CHECK(r.checked > 0);
    CHECK(r.failed == 0);
}

}  // namespace

// The scalar kernels do not depend on the instruction set: only the baseline build tests them.
#if CTNN_TEST_SCALAR_KERNELS
constexpr bool with_scalar_arch = true;
#else
constexpr bool with_scalar_arch = false;
#endif
using archs = std::conditional_t<with_scalar_arch, std::tuple<simd::default_arch, simd::scalar_arch>,
                                 std::tuple<simd::default_arch>>;

TEMPLATE_LIST_TEST_CASE("int8_matvec and int8_batch_matvec sum random uint8 x int8 products exactly", "[int8_kernels]",
                        archs) {
    check<TestType>(int8_checks::Fill::random);
}

TEMPLATE_LIST_TEST_CASE("int8_matvec and int8_batch_matvec are exact at 255 x 127 and 255 x -128 (no int16 saturation)",
                        "[int8_kernels]", archs) {
    check<TestType>(int8_checks::Fill::max_times_max);
    check<TestType>(int8_checks::Fill::max_times_min);
    // The sums in closed form, In * 255 * 127 and In * 255 * -128.
    std::array<std::uint8_t, 784> x;
    std::array<std::int8_t, 3 * 784> w;
    x.fill(255);
    for (const std::int8_t weight : {std::int8_t{127}, std::int8_t{-128}}) {
        w.fill(weight);
        std::array<std::int32_t, 3> sums{};
        simd::int8_matvec<TestType, 3, 784, 784>(x.data(), w.data(), sums.data());
        INFO(TestType::name() << ", weights " << int{weight});
        CHECK(sums == std::array<std::int32_t, 3>{784 * 255 * weight, 784 * 255 * weight, 784 * 255 * weight});
    }
}

TEMPLATE_LIST_TEST_CASE("int8_matvec and int8_batch_matvec are exact on values from the edges of both ranges",
                        "[int8_kernels]", archs) {
    check<TestType>(int8_checks::Fill::edges);
}

TEST_CASE("int8_matvec has an instruction set's kernel wherever there is one", "[int8_kernels]") {
#if CTNN_INT8_SSE2 || CTNN_INT8_NEON
    CHECK(simd::has_int8_kernel<simd::default_arch>);
#endif
#if CTNN_INT8_DSP
    CHECK(simd::has_int8_kernel<simd::scalar_arch>);
#else
    CHECK_FALSE(simd::has_int8_kernel<simd::scalar_arch>);
#endif
}
