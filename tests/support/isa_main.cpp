// Runner for the per-ISA kernel test binaries built by ctnn_add_isa_test() (cmake/CtnnTesting.cmake).
//
// The test sources of such a binary are compiled with -mavx2, -mavx512f, ...; this file is not. It checks that the
// CPU has CTNN_REQUIRED_CPU_FEATURE (a __builtin_cpu_supports name, defined by CMake; undefined for the baseline
// build) and exits with 77, which CTest reports as skipped, when it does not.
//
// The check runs twice. A constructor with a priority runs before every ordinary static initializer, including
// Catch2's test registrations in the ISA-flagged translation units, which the compiler may already have vectorised
// with the new instructions. main() repeats the check for builds whose linker ignores constructor priorities.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>

namespace {

#if defined(CTNN_REQUIRED_CPU_FEATURE) && (defined(__x86_64__) || defined(__i386__))
bool cpu_has_required_feature() noexcept {
    __builtin_cpu_init();  // required when called from a constructor that may run before libgcc's own
    return __builtin_cpu_supports(CTNN_REQUIRED_CPU_FEATURE) != 0;
}

void skip_if_unsupported() noexcept {
    if (!cpu_has_required_feature()) {
        std::printf("SKIPPED: this CPU does not support %s, which this test binary was compiled for\n",
                    CTNN_REQUIRED_CPU_FEATURE);
        std::fflush(stdout);
        std::_Exit(77);
    }
}

__attribute__((constructor(101))) void skip_before_static_initialization() noexcept {
    skip_if_unsupported();
}
#else
void skip_if_unsupported() noexcept {}
#endif

}  // namespace

int main(int argc, char* argv[]) {
    skip_if_unsupported();
    return Catch::Session().run(argc, argv);
}
