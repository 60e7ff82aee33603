#pragma once

// Checks for the test programs without Catch2 (tests/core, tests/stack, tests/threads): each failed check prints
// what it expected, and the program's exit code is summary()'s. Call them from one thread only.

#include <cstdio>

namespace ctnn_test {

inline int checks = 0;
inline int failures = 0;

inline void expect(bool ok, const char* what) {
    ++checks;
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}

/// Prints the count of checks passed and failed; returns the exit code: 0 when none failed.
inline int summary() {
    std::printf("%d passed, %d failed\n", checks - failures, failures);
    return failures == 0 ? 0 : 1;
}

}  // namespace ctnn_test
