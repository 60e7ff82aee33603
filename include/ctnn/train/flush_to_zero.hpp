#pragma once

/// @file
/// Long training runs can drift into subnormal numbers, which many cores process 10-100
/// times slower. ScopedFlushToZero makes the current thread treat them as zero until it
/// goes out of scope (x86 SSE: FTZ and DAZ; AArch64: FPCR.FZ; elsewhere it does nothing
/// and `active()` says so).

#include <cstdint>

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>
#endif

namespace ctnn {

class ScopedFlushToZero {
public:
    ScopedFlushToZero() noexcept {
#if defined(__SSE2__) || defined(_M_X64)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040u);  // FTZ (bit 15) and DAZ (bit 6)
#elif defined(__aarch64__)
        saved_ = __builtin_aarch64_get_fpcr();
        __builtin_aarch64_set_fpcr(saved_ | (1u << 24));  // FZ
#endif
    }
    ~ScopedFlushToZero() {
#if defined(__SSE2__) || defined(_M_X64)
        _mm_setcsr(saved_);
#elif defined(__aarch64__)
        __builtin_aarch64_set_fpcr(saved_);
#endif
    }
    ScopedFlushToZero(const ScopedFlushToZero&) = delete;
    ScopedFlushToZero& operator=(const ScopedFlushToZero&) = delete;

    /// True where this target can flush subnormals.
    [[nodiscard]] static constexpr bool active() noexcept {
#if defined(__SSE2__) || defined(_M_X64) || defined(__aarch64__)
        return true;
#else
        return false;
#endif
    }

private:
    [[maybe_unused]] std::uint32_t saved_ = 0;
};

}  // namespace ctnn
