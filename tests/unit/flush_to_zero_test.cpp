// ctnn::ScopedFlushToZero (include/ctnn/train/flush_to_zero.hpp): subnormal results and inputs are zero inside its
// scope and only there, also for arithmetic the compiler could fold at compile time or move across the guard.
// tests/CMakeLists.txt compiles this file with -O2 whatever the build type: the optimiser is what moves code.

#include <ctnn/ctnn.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <limits>

using namespace ctnn;

namespace {

template <class T>
struct tiny;
template <>
struct tiny<float> {
    static constexpr float factor = 1e-20f;     // factor^2 = 1e-40: subnormal
    static constexpr float subnormal = 1e-40f;  // times 1e10: 1e-30, a normal number
};
template <>
struct tiny<double> {
    static constexpr double factor = 1e-160;  // 1e-320: subnormal
    static constexpr double subnormal = 1e-310;
};

// Statics: the compiler must assume that the guard's memory clobbers read and write them.
std::array<float, 1> weight_input{};
std::array<float, 1> output{};

}  // namespace

TEMPLATE_TEST_CASE("A subnormal product of known values, fenced in the scope, is flushed to zero", "[flush_to_zero]",
                   float, double) {
    using T = TestType;
    if (!ScopedFlushToZero::active()) {
        SUCCEED("this target cannot flush subnormals");
        return;
    }
    T a = tiny<T>::factor, b = tiny<T>::factor;  // known at compile time: a * b could be folded to the subnormal
    T s = tiny<T>::subnormal, ten = T(1e10);
    T product = 0, scaled = 0;
    {
        ScopedFlushToZero flush;
        ScopedFlushToZero::fence(a, b, s, ten);     // the operands enter the scope here
        product = a * b;                            // FTZ: a subnormal result is 0
        scaled = s * ten;                           // DAZ (x86) / FZ (AArch64): a subnormal input is 0
        ScopedFlushToZero::fence(product, scaled);  // the results are computed before the guard restores
    }
    CHECK(product == T(0));
    CHECK(scaled == T(0));

    // After the scope the same arithmetic, again at run time, keeps its subnormals.
    ScopedFlushToZero::fence(a, b, s, ten);
    product = a * b;
    scaled = s * ten;
    ScopedFlushToZero::fence(product, scaled);
    CHECK(product > T(0));
    CHECK(product < std::numeric_limits<T>::min());
    CHECK(scaled == Approx(tiny<T>::subnormal * T(1e10)).epsilon(1e-3));
}

TEST_CASE("Nested guards restore the state they found", "[flush_to_zero]") {
    if (!ScopedFlushToZero::active()) return;
    float a = 1e-20f, product = 1;
    {
        ScopedFlushToZero outer;
        { ScopedFlushToZero inner; }
        ScopedFlushToZero::fence(a);
        product = a * a;
        ScopedFlushToZero::fence(product);
    }
    CHECK(product == 0.0f);
    ScopedFlushToZero::fence(a);
    product = a * a;
    ScopedFlushToZero::fence(product);
    CHECK(product > 0.0f);
}

TEST_CASE("Code that reads and writes memory in the scope runs under the flush without fences", "[flush_to_zero]") {
    if (!ScopedFlushToZero::active()) return;
    // A network and its data in memory the guard's clobbers cover: w x with w = x = 1e-20 is 1e-40.
    static Network<float, Input<1>, Dense<1, Linear>> net;
    net.set_parameter(0, 1e-20f);
    weight_input[0] = 1e-20f;
    {
        ScopedFlushToZero flush;
        output = net.forward(weight_input);
    }
    CHECK(output[0] == 0.0f);
    output = net.forward(weight_input);
    CHECK(output[0] > 0.0f);
}
