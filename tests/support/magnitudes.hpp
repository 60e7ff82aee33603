#pragma once

// Magnitudes at the edges of float's and double's range, for the tests of norms, clipping and scaling: where a plain
// sum of squares overflows or underflows, the result must not.

namespace ctnn_test {

template <class T>
struct magnitudes;

template <>
struct magnitudes<float> {
    static constexpr float huge = 1e19f;        // its square, 1e38, is near the largest float: a few overflow
    static constexpr float largest = 3e38f;     // the norm of a few is beyond the largest float
    static constexpr float tiny = 1e-30f;       // its square underflows to 0
    static constexpr float subnormal = 1e-40f;  // below the smallest normal float, 1.2e-38
};

template <>
struct magnitudes<double> {
    static constexpr double huge = 1e300;
    static constexpr double largest = 1.7e308;
    static constexpr double tiny = 1e-200;
    static constexpr double subnormal = 1e-310;
};

}  // namespace ctnn_test
