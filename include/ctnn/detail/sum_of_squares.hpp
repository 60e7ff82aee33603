#pragma once

/// @file
/// A sum of squares that neither overflows nor underflows while the Euclidean norm it
/// stands for is representable: Blue's algorithm with three accumulators, as in LAPACK's
/// nrm2 since 3.10 (E. Anderson, "Algorithm 978: Safe scaling in the Level 1 BLAS", ACM
/// TOMS 44(1), 2017; J. L. Blue, "A portable Fortran program to find the Euclidean norm of
/// a vector", ACM TOMS 4(1), 1978). Computed in `T` alone, so a float network's firmware
/// holds no double arithmetic.

#include <cmath>
#include <concepts>
#include <limits>

namespace ctnn::detail {

/// 2^e, exactly, in a constant expression (std::ldexp is not constexpr in C++20).
template <std::floating_point T>
[[nodiscard]] constexpr T power_of_two(int e) noexcept {
    T p = 1;
    for (; e > 0; --e) p *= 2;
    for (; e < 0; ++e) p /= 2;
    return p;
}

/// floor(a / 2) and ceil(a / 2) for any sign of `a` (C++ division truncates towards zero).
[[nodiscard]] constexpr int floor_half(int a) noexcept {
    return a >= 0 ? a / 2 : -((-a + 1) / 2);
}
[[nodiscard]] constexpr int ceil_half(int a) noexcept {
    return -floor_half(-a);
}

/// A Euclidean norm as `scale * sqrt(sum)`, so that it can be used, for example to scale
/// vectors down, even where the norm itself is beyond the largest `T`. `scale` is 1 or a
/// power of two; `sum` is infinite or NaN exactly when a value summed was.
template <std::floating_point T>
struct scaled_norm {
    T scale = 1;
    T sum = 0;

    /// scale * sqrt(sum): +inf when the norm exceeds the largest T.
    [[nodiscard]] T value() const noexcept { return scale * std::sqrt(sum); }
    /// True when every value summed was finite.
    [[nodiscard]] bool finite() const noexcept { return sum <= std::numeric_limits<T>::max(); }
};

/// Blue's accumulator: values above `big` are summed scaled down by `scale_big`, values
/// below `small` scaled up by `scale_small`, the others as they are; each square then lies
/// well inside T's range. The constants are LAPACK's la_constants (tsml, tbig, ssml, sbig)
/// from T's exponent range and digits (float: 2^-63, 2^52, 2^75, 2^-76).
template <std::floating_point T>
class sum_of_squares {
    using limits = std::numeric_limits<T>;

public:
    static constexpr T small = power_of_two<T>(ceil_half(limits::min_exponent - 1));
    static constexpr T big = power_of_two<T>(floor_half(limits::max_exponent - limits::digits + 1));
    static constexpr T scale_small = power_of_two<T>(-floor_half(limits::min_exponent - limits::digits));
    static constexpr T scale_big = power_of_two<T>(-ceil_half(limits::max_exponent + limits::digits - 1));

    /// Adds x^2. A NaN makes the sum NaN, an infinity makes it infinite.
    constexpr void add(T x) noexcept {
        const T a = x < 0 ? -x : x;
        if (a > big) {
            big_ += (a * scale_big) * (a * scale_big);
            seen_big_ = true;
        } else if (a < small) {
            // Once a big value is in, the small ones are below its rounding error.
            if (!seen_big_) small_ += (a * scale_small) * (a * scale_small);
        } else {
            medium_ += a * a;  // also every NaN, which fails both comparisons
        }
    }

    /// The norm of the values added, combined as LAPACK's dnrm2 does.
    [[nodiscard]] scaled_norm<T> norm() const noexcept {
        if (big_ > 0) {
            T sum = big_;
            if (medium_ > 0 || medium_ != medium_) sum += (medium_ * scale_big) * scale_big;
            return {T(1) / scale_big, sum};
        }
        if (small_ > 0) {
            if (medium_ > 0 || medium_ != medium_) {
                const T m = std::sqrt(medium_), s = std::sqrt(small_) / scale_small;
                const T low = s > m ? m : s, high = s > m ? s : m;
                return {T(1), high * high * (T(1) + (low / high) * (low / high))};
            }
            return {T(1) / scale_small, small_};
        }
        return {T(1), medium_};
    }

private:
    T small_ = 0;
    T medium_ = 0;
    T big_ = 0;
    bool seen_big_ = false;
};

}  // namespace ctnn::detail
