// The CPU check of the per-ISA kernel test binaries built by ctnn_add_isa_test() (cmake/CtnnTesting.cmake).
//
// The test sources of such a binary are compiled with -mavx2, -mavx512f, ...; this file is not, and neither is the
// prebuilt Catch2 runner (Catch2::Catch2WithMain) the binary links. A constructor with a priority checks that the CPU
// has CTNN_REQUIRED_CPU_FEATURE (a __builtin_cpu_supports name, defined by CMake; undefined for the baseline build)
// and exits with 77, which CTest reports as skipped, when it does not. It runs before every ordinary static
// initializer, including Catch2's test registrations in the ISA-flagged translation units, which the compiler may
// already have vectorised with the new instructions. The per-ISA builds exist only for GCC and Clang on x86 (ELF),
// whose linkers honour constructor priorities.

#include <cstdio>
#include <cstdlib>

namespace {

#if defined(CTNN_REQUIRED_CPU_FEATURE) && (defined(__x86_64__) || defined(__i386__))
__attribute__((constructor(101))) void skip_unless_the_cpu_supports_the_isa() noexcept {
    __builtin_cpu_init();  // required when called from a constructor that may run before libgcc's own
    if (__builtin_cpu_supports(CTNN_REQUIRED_CPU_FEATURE) == 0) {
        std::printf("SKIPPED: this CPU does not support %s, which this test binary was compiled for\n",
                    CTNN_REQUIRED_CPU_FEATURE);
        std::fflush(stdout);
        std::_Exit(77);
    }
}
#endif

}  // namespace
