#pragma once

// What every fuzz target in tests/fuzz shares: the entry point libFuzzer calls, an invariant check that stops the
// run, and the flag the replay driver reads.
//
// An invariant that fails prints where and what, then aborts: libFuzzer reports the abort as a crash and keeps the
// input; the replay driver (replay_main.cpp) dies with it, which fails its CTest test. The library's own
// preconditions (CTNN_ASSERT) abort the same way.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// The fuzz target: runs the parser(s) on `data` and checks their invariants. Returns 0 (libFuzzer's contract).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace ctnn_fuzz {

/// Set by LLVMFuzzerTestOneInput: whether the last input was accepted by at least one of the parsers it tried.
/// The replay driver requires it for the seeds named `valid-*`, so a seed that a format change made invalid is
/// noticed instead of silently leaving the fuzzer without a way in.
inline bool accepted = false;

[[noreturn]] inline void invariant_failed(const char* file, int line, const char* what) {
    std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
    std::fflush(stderr);
    std::abort();
}

}  // namespace ctnn_fuzz

/// Aborts with `what` unless `condition` holds.
#define CTNN_FUZZ_CHECK(condition, what)                                         \
    do {                                                                         \
        if (!(condition)) ctnn_fuzz::invariant_failed(__FILE__, __LINE__, what); \
    } while (false)
