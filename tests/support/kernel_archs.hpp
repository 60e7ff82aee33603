#pragma once

// The arch tags a per-instruction-set kernel test runs on: the one its build compiles for and, in the baseline build
// (CTNN_TEST_SCALAR_KERNELS, tests/CMakeLists.txt), the scalar one, whose kernels do not depend on the instruction set.

#include "ctnn/simd/arch.hpp"

#include <tuple>

namespace ctnn_test {

#if CTNN_TEST_SCALAR_KERNELS
using kernel_archs = std::tuple<ctnn::simd::default_arch, ctnn::simd::scalar_arch>;
#else
using kernel_archs = std::tuple<ctnn::simd::default_arch>;
#endif

}  // namespace ctnn_test
