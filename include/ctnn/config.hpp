#pragma once

/// @file
/// Build configuration: hosted or freestanding, and the precondition check.

#include <cstddef>

/// CTNN_HOSTED is 1 where the standard library's I/O is available. Firmware builds (a
/// Cortex-M target, no `__STDC_HOSTED__`, or an explicit `-DCTNN_HOSTED=0`) get 0.
#ifndef CTNN_HOSTED
#if defined(__STDC_HOSTED__) && __STDC_HOSTED__ && !(defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M')
#define CTNN_HOSTED 1
#else
#define CTNN_HOSTED 0
#endif
#endif

#if CTNN_HOSTED
#include <cstdio>
#include <cstdlib>
#endif

namespace ctnn::detail {

/// Reports a broken precondition (a run-time size mismatch, for example) and stops.
/// Without exceptions there is nothing sensible to return, so the program ends here.
[[noreturn]] inline void precondition_failed(const char* what) noexcept {
#if CTNN_HOSTED
    std::fprintf(stderr, "ctnn: precondition failed: %s\n", what);
    std::abort();
#else
    (void)what;
    __builtin_trap();
#endif
}

}  // namespace ctnn::detail

/// Checks a run-time precondition of the public API. Always on: the checks are size
/// comparisons, never inside a kernel's loop. Define CTNN_ASSERT before including ctnn to
/// route failures elsewhere.
#ifndef CTNN_ASSERT
#define CTNN_ASSERT(condition, message) \
    ((condition) ? static_cast<void>(0) : ::ctnn::detail::precondition_failed(message))
#endif
