#pragma once

/// @file
/// Long training runs can drift into subnormal numbers, which many cores process 10-100
/// times slower. ScopedFlushToZero makes the current thread treat them as zero until it
/// goes out of scope (x86 SSE: FTZ and DAZ; AArch64: FPCR.FZ; elsewhere it does nothing
/// and `active()` says so).
///
/// What the compiler may move. It knows nothing of the control register (GCC does not
/// implement `#pragma STDC FENV_ACCESS`), so arithmetic counts as free of side effects: it
/// may fold an expression at compile time, hoist it above the write of the control
/// register or sink it below the restore, and `_mm_setcsr` or a "memory" clobber does not
/// stop that for values held in registers. So the guard writes the register with
/// `asm volatile` statements that clobber memory: every load and store written in its
/// scope stays there, and with it everything computed from data in memory into memory (a
/// training loop: the network, the data, the trainer). Values the compiler holds in
/// registers are pinned with fence(), an empty `asm volatile` that takes them as operands
/// it reads and writes: what computes them cannot move below it, what uses them cannot move
/// above it, and volatile asm statements keep their order among themselves. That is
/// glibc's math_opt_barrier / math_force_eval around fenv accesses and Eigen's
/// EIGEN_OPTIMIZATION_BARRIER; JUCE's ScopedNoDenormals sets the register with the
/// intrinsics and orders nothing.

#include <cstdint>

#if (defined(__SSE2__) || defined(_M_X64)) && !defined(__GNUC__)
#include <xmmintrin.h>
#endif

namespace ctnn {

/// Subnormal inputs and results are zero while it lives (on the current thread).
///
/// @code
/// {
///     ctnn::ScopedFlushToZero flush;
///     for (std::size_t epoch = 0; epoch < epochs; ++epoch) trainer.train_epoch(xs, ts, 32);
/// }
/// float a = 1e-20f, b = 1e-20f, product;
/// {
///     ctnn::ScopedFlushToZero flush;
///     flush.fence(a, b);  // a and b enter the scope here: a * b cannot be folded or hoisted
///     product = a * b;    // 1e-40 is subnormal in float: flushed to 0
///     flush.fence(product);  // computed before the destructor restores the register
/// }
/// @endcode
class ScopedFlushToZero {
public:
    ScopedFlushToZero() noexcept {
#if defined(__GNUC__) && (defined(__SSE2__) || defined(__x86_64__))
        asm volatile("stmxcsr %0" : "=m"(saved_) : : "memory");
        const std::uint32_t flushing = saved_ | 0x8040u;  // FTZ (bit 15) and DAZ (bit 6)
        asm volatile("ldmxcsr %0" : : "m"(flushing) : "memory");
#elif defined(__GNUC__) && defined(__aarch64__)
        asm volatile("mrs %0, fpcr" : "=r"(saved_) : : "memory");
        asm volatile("msr fpcr, %0" : : "r"(saved_ | (std::uint64_t{1} << 24)) : "memory");  // FZ
#elif defined(__SSE2__) || defined(_M_X64)
        saved_ = _mm_getcsr();
        _mm_setcsr(static_cast<unsigned>(saved_) | 0x8040u);
#endif
    }
    ~ScopedFlushToZero() {
#if defined(__GNUC__) && (defined(__SSE2__) || defined(__x86_64__))
        asm volatile("ldmxcsr %0" : : "m"(saved_) : "memory");
#elif defined(__GNUC__) && defined(__aarch64__)
        asm volatile("msr fpcr, %0" : : "r"(saved_) : "memory");
#elif defined(__SSE2__) || defined(_M_X64)
        _mm_setcsr(static_cast<unsigned>(saved_));
#endif
    }
    ScopedFlushToZero(const ScopedFlushToZero&) = delete;
    ScopedFlushToZero& operator=(const ScopedFlushToZero&) = delete;

    /// An optimisation barrier on `values` (floats, doubles, or any object): the compiler must
    /// assume this statement reads and changes each of them, and keeps it in order with the
    /// guard's constructor and destructor. Call it on the operands after the guard is
    /// constructed, and on the results before it is destroyed, for arithmetic on values that
    /// do not come from memory in the scope and go to memory in it. A no-op for compilers
    /// without GNU inline assembly.
    template <class... Values>
    static void fence(Values&... values) noexcept {
        (fence_one(values), ...);
    }

    /// True where this target can flush subnormals.
    [[nodiscard]] static constexpr bool active() noexcept {
#if defined(__SSE2__) || defined(__x86_64__) || defined(_M_X64) || (defined(__GNUC__) && defined(__aarch64__))
        return true;
#else
        return false;
#endif
    }

private:
    template <class Value>
    static void fence_one([[maybe_unused]] Value& value) noexcept {
#if defined(__GNUC__)
        // "+m": the value is in memory at this statement, whatever its type, so every register copy is
        // written before and read again after.
        asm volatile("" : "+m"(value));
#endif
    }

#if defined(__aarch64__)
    [[maybe_unused]] std::uint64_t saved_ = 0;  // FPCR is a 64-bit system register
#else
    [[maybe_unused]] std::uint32_t saved_ = 0;
#endif
};

}  // namespace ctnn
