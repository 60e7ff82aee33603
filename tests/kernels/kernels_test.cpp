// The dense-layer kernels (include/ctnn/simd/kernels.hpp) and the lane-wise operations (include/ctnn/simd/ops.hpp),
// checked against naive double-precision loops and against std:: lane by lane, for the instruction set this file is
// compiled for (ctnn::simd::default_arch) and, in the baseline build, for ctnn::simd::scalar_arch.
//
// CMake compiles this file three times (baseline SSE2, -mavx2 -mfma, AVX-512), each into a binary of its own with the
// CPU check tests/support/isa_guard.cpp. It also compiles with -DCTNN_FORCE_SCALAR=1, where default_arch is scalar_arch
// and xsimd::batch does not exist: every direct use of xsimd is under `#if CTNN_SIMD`.

#include "ctnn/simd/kernels.hpp"

#include "ctnn/random.hpp"
#include "ctnn/simd/arch.hpp"
#include "ctnn/simd/ops.hpp"
#include "ctnn/simd/reduce.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <ratio>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace simd = ctnn::simd;

// ---- compile-time lists
// ----------------------------------------------------------------------------------------------

template <class... Ts>
struct type_list {};

/// Calls `f(std::type_identity<X>{})` for every X in the list.
template <class... Ts, class F>
void for_each_type(type_list<Ts...> /*list*/, F&& f) {
    (f(std::type_identity<Ts>{}), ...);
}

template <std::size_t In, std::size_t Out>
struct shape {
    static constexpr std::size_t in = In;
    static constexpr std::size_t out = Out;
};

// Every size of 1, 3, 7, 8, 9, 16, 17, 33, 64 appears as In and as Out: one register, less than one, a whole number of
// them and one lane more, for SSE2 (4 floats, 2 doubles), AVX2 (8, 4) and AVX-512 (16, 8).
using shapes = type_list<shape<1, 1>, shape<1, 8>, shape<3, 7>, shape<7, 3>, shape<8, 8>, shape<9, 16>, shape<16, 9>,
                         shape<17, 33>, shape<33, 17>, shape<1, 64>, shape<64, 1>, shape<33, 64>, shape<64, 17>>;

// The scalar kernels do not depend on the instruction set, so only the build without instruction-set flags
// (CTNN_TEST_SCALAR_KERNELS, from ctnn_add_isa_test) tests them beside default_arch; the wider builds test their own
// kernels alone, at half the compile time. Both are scalar_arch under CTNN_FORCE_SCALAR; they then simply run twice.
#if CTNN_TEST_SCALAR_KERNELS
using archs = type_list<simd::default_arch, simd::scalar_arch>;
#else
using archs = type_list<simd::default_arch>;
#endif

template <class Arch>
std::string arch_name() {
    return Arch::name();
}

// ---- buffers --------------------------------------------------------------------------------------------------------

/// `Size` values aligned to one register of `Arch` (for the lane-wise operations).
template <class T, class Arch, std::size_t Size>
struct aligned_buffer {
    alignas(simd::alignment<T, Arch>) std::array<T, Size> values{};
};

/// `size` values at an address that is a multiple of `alignment` and, when alignment < 64, an odd multiple of it: a
/// kernel that assumed more alignment than simd::alignment<T, Arch> promises would fault or misbehave.
template <class T>
class aligned_values {
public:
    aligned_values(std::size_t size, std::size_t alignment) : raw_(size + 2 * max_alignment / sizeof(T)), size_(size) {
        auto address = reinterpret_cast<std::uintptr_t>(raw_.data());
        address = (address + max_alignment - 1) / max_alignment * max_alignment;
        if (alignment < max_alignment) address += alignment;
        data_ = reinterpret_cast<T*>(address);
        REQUIRE(address % alignment == 0);
    }
    [[nodiscard]] T* data() noexcept { return data_; }
    [[nodiscard]] const T* data() const noexcept { return data_; }
    [[nodiscard]] T& operator[](std::size_t k) noexcept { return data_[k]; }
    [[nodiscard]] const T& operator[](std::size_t k) const noexcept { return data_[k]; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void fill(T value) noexcept { std::fill(data_, data_ + size_, value); }
    [[nodiscard]] std::vector<T> copy() const { return std::vector<T>(data_, data_ + size_); }

private:
    static constexpr std::size_t max_alignment = 64;  // AVX-512
    std::vector<T> raw_;
    std::size_t size_;
    T* data_ = nullptr;
};

/// Rows x padded values: normal random numbers in the first `cols` lanes of each row, zero in its padding lanes.
template <class T>
void fill_rows(ctnn::Random& random, T* p, std::size_t rows, std::size_t cols, std::size_t padded) {
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < padded; ++c) p[r * padded + c] = c < cols ? random.normal<T>() : T(0);
    }
}

template <class T>
constexpr double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;

/// Collects the elements whose error exceeds `tolerance * magnitude` (magnitude: the sum of |terms| that made the
/// value), and describes the first of them, so that one CHECK covers a whole buffer.
class mismatches {
public:
    explicit mismatches(double tolerance) : tolerance_(tolerance) {}

    void near(std::size_t index, double actual, double expected, double magnitude) {
        const double error = std::abs(actual - expected);
        const double bound = tolerance_ * magnitude;
        if (!(error <= bound)) record(index, actual, expected, bound);  // a NaN fails too
    }
    void exact(std::size_t index, double actual, double expected) {
        if (!(actual == expected)) record(index, actual, expected, 0);
    }

    [[nodiscard]] std::size_t count() const noexcept { return count_; }
    [[nodiscard]] std::string describe() const {
        std::ostringstream out;
        out.precision(17);
        out << count_ << " mismatches";
        if (count_ != 0) {
            out << "; first at [" << first_index_ << "]: " << first_actual_ << " instead of " << first_expected_
                << " (allowed error " << first_bound_ << ")";
        }
        return out.str();
    }

private:
    void record(std::size_t index, double actual, double expected, double bound) {
        if (count_++ == 0) {
            first_index_ = index;
            first_actual_ = actual;
            first_expected_ = expected;
            first_bound_ = bound;
        }
    }

    double tolerance_;
    std::size_t count_ = 0;
    std::size_t first_index_ = 0;
    double first_actual_ = 0, first_expected_ = 0, first_bound_ = 0;
};

/// One CHECK for a whole buffer.
[[gnu::noinline]] void check_no_mismatches(const char* what, const mismatches& m) {
    INFO(what << ": " << m.describe());
    CHECK(m.count() == 0);
}

/// A layer's shape: `in` inputs, `out` outputs in `padded` lanes, buffers aligned to `alignment`, kernels of `arch`.
struct layout {
    std::size_t in, out, padded, alignment;
    const char* arch;
};

/// As above, with the arch and shape in the log.
[[gnu::noinline]] void check_no_mismatches(const char* what, const mismatches& m, const layout& l) {
    INFO("Arch = " << l.arch << ", In = " << l.in << ", Out = " << l.out << " (" << l.padded << " lanes)");
    check_no_mismatches(what, m);
}

// ---- the kernels ----------------------------------------------------------------------------------------------------
//
// Each case below fills its buffers and checks the result with run-time sizes, so that only the kernel call itself is
// instantiated per (T, Arch, In, Out): that keeps this file's compile time down.

// Filling and checking are kept out of line: inlined into every instantiation, they would triple the compile time.
#define CTNN_TEST_OUT_OF_LINE [[gnu::noinline]]

template <class T, class Arch, std::size_t In, std::size_t Out>
constexpr layout layout_of() {
    return {In, Out, simd::padded<T, Arch>(Out), simd::alignment<T, Arch>, Arch::name()};
}

/// z = b + W^T x, with W In x padded (zero padding), b padded (zero padding), x unaligned.
template <class T>
struct affine_case {
    layout l;
    aligned_values<T> w, b, x, z;

    CTNN_TEST_OUT_OF_LINE affine_case(ctnn::Random& random, layout shape)
        : l(shape),
          w(l.in * l.padded, l.alignment),
          b(l.padded, l.alignment),
          x(l.in + 1, l.alignment),
          z(l.padded, l.alignment) {
        fill_rows(random, w.data(), l.in, l.out, l.padded);
        fill_rows(random, b.data(), 1, l.out, l.padded);
        fill_rows(random, x.data() + 1, 1, l.in, l.in);
        z.fill(std::numeric_limits<T>::quiet_NaN());  // every padded lane must be written
    }
    // x is read value by value (it may be the caller's own input array), so it is one element off alignment.
    [[nodiscard]] const T* input() const noexcept { return x.data() + 1; }

    CTNN_TEST_OUT_OF_LINE void check() const {
        mismatches m(tolerance<T>);
        for (std::size_t o = 0; o < l.padded; ++o) {
            double expected = b[o];
            double magnitude = std::abs(expected);
            for (std::size_t i = 0; i < l.in; ++i) {
                const double term = double(input()[i]) * double(w[i * l.padded + o]);
                expected += term;
                magnitude += std::abs(term);
            }
            if (o < l.out) {
                m.near(o, z[o], expected, magnitude);
            } else {
                m.exact(o, z[o], 0);  // zero padding in W and b gives zero padding in z
            }
        }
        check_no_mismatches("affine: z = b + W^T x", m, l);
    }
};

/// dw += x dz^T, with dw In x padded and dz padded (zero padding), x unaligned.
template <class T>
struct outer_product_case {
    layout l;
    aligned_values<T> dw, x, dz;
    std::vector<T> before;

    CTNN_TEST_OUT_OF_LINE outer_product_case(ctnn::Random& random, layout shape)
        : l(shape), dw(l.in * l.padded, l.alignment), x(l.in + 1, l.alignment), dz(l.padded, l.alignment) {
        fill_rows(random, dw.data(), l.in, l.out, l.padded);
        fill_rows(random, x.data() + 1, 1, l.in, l.in);
        fill_rows(random, dz.data(), 1, l.out, l.padded);
        before = dw.copy();
    }
    [[nodiscard]] const T* input() const noexcept { return x.data() + 1; }

    CTNN_TEST_OUT_OF_LINE void check() const {
        mismatches m(tolerance<T>);
        for (std::size_t i = 0; i < l.in; ++i) {
            for (std::size_t o = 0; o < l.padded; ++o) {
                const std::size_t k = i * l.padded + o;
                const double term = double(input()[i]) * double(dz[o]);
                if (o < l.out) {
                    m.near(k, dw[k], before[k] + term, std::abs(double(before[k])) + std::abs(term));
                } else {
                    m.exact(k, dw[k], 0);  // zero padding in dz keeps the padding of dw zero
                }
            }
        }
        check_no_mismatches("add_outer_product: dw += x dz^T", m, l);
    }

    /// dw = keep before - rate x dz^T (the SGD step), padding lanes still zero.
    CTNN_TEST_OUT_OF_LINE void check_sgd_step(double rate, double keep) const {
        mismatches m(tolerance<T>);
        for (std::size_t i = 0; i < l.in; ++i) {
            for (std::size_t o = 0; o < l.padded; ++o) {
                const std::size_t k = i * l.padded + o;
                const double kept = keep * double(before[k]);
                const double step = rate * double(input()[i]) * double(dz[o]);
                if (o < l.out) {
                    m.near(k, dw[k], kept - step, std::abs(kept) + std::abs(step));
                } else {
                    m.exact(k, dw[k], 0);
                }
            }
        }
        check_no_mismatches("subtract_outer_product: w = keep w - rate x dz^T", m, l);
    }
};

/// y += x over the padded size (zero padding in both).
template <class T>
struct add_case {
    layout l;
    aligned_values<T> y, x;
    std::vector<T> before;

    CTNN_TEST_OUT_OF_LINE add_case(ctnn::Random& random, layout shape)
        : l(shape), y(l.padded, l.alignment), x(l.padded, l.alignment) {
        fill_rows(random, y.data(), 1, l.out, l.padded);
        fill_rows(random, x.data(), 1, l.out, l.padded);
        before = y.copy();
    }

    CTNN_TEST_OUT_OF_LINE void check() const {
        mismatches m(tolerance<T>);
        for (std::size_t o = 0; o < l.padded; ++o) {
            if (o < l.out) {
                m.near(o, y[o], double(before[o]) + double(x[o]), std::abs(double(before[o])) + std::abs(double(x[o])));
            } else {
                m.exact(o, y[o], 0);
            }
        }
        check_no_mismatches("add: y += x", m, l);
    }
};

/// y = f(x) over the padded size, for three functions: x (x + 1/2), which keeps zero padding lanes zero; 2 x + 1,
/// which shows that every lane up to the padded size is transformed; and -x, in place (dense_layer activates in place).
template <class T>
struct transform_case {
    layout l;
    aligned_values<T> x, y;

    CTNN_TEST_OUT_OF_LINE transform_case(ctnn::Random& random, layout shape)
        : l(shape), x(l.padded, l.alignment), y(l.padded, l.alignment) {
        fill_rows(random, x.data(), 1, l.out, l.padded);
        y.fill(std::numeric_limits<T>::quiet_NaN());
    }

    CTNN_TEST_OUT_OF_LINE void check_quadratic() const {
        mismatches m(tolerance<T>);
        for (std::size_t o = 0; o < l.padded; ++o) {
            const double xo = x[o];
            m.near(o, y[o], xo * (xo + 0.5), std::abs(xo) * (std::abs(xo) + 0.5));
            if (o >= l.out) m.exact(o, y[o], 0);
        }
        check_no_mismatches("transform: y = x (x + 1/2)", m, l);
    }
    CTNN_TEST_OUT_OF_LINE void check_affine() const {
        mismatches m(tolerance<T>);
        for (std::size_t o = 0; o < l.padded; ++o)
            m.near(o, y[o], 2 * double(x[o]) + 1, 2 * std::abs(double(x[o])) + 1);
        check_no_mismatches("transform: y = 2 x + 1", m, l);
    }
    CTNN_TEST_OUT_OF_LINE void check_negated_in_place(const std::vector<T>& before) const {
        mismatches m(0);
        for (std::size_t o = 0; o < l.padded; ++o) m.exact(o, x[o], -double(before[o]));
        check_no_mismatches("transform in place: x = -x", m, l);
    }
};

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_affine(ctnn::Random& random) {
    constexpr layout l = layout_of<T, Arch, In, Out>();
    affine_case<T> c(random, l);
    simd::affine<Arch, In, l.padded>(c.w.data(), c.b.data(), c.input(), c.z.data());
    c.check();
}

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_add_outer_product(ctnn::Random& random) {
    constexpr layout l = layout_of<T, Arch, In, Out>();
    outer_product_case<T> c(random, l);
    simd::add_outer_product<Arch, In, l.padded>(c.dw.data(), c.input(), c.dz.data());
    c.check();
}

/// Runs `step(dw)` unguarded, checks it, then guarded from the same values: the guard (which finds nothing to keep
/// here) stores the same bits.
template <class T, class Step, class Check>
CTNN_TEST_OUT_OF_LINE void check_both_guards(aligned_values<T>& values, const std::vector<T>& before, Step step,
                                             Check check) {
    CHECK(step(values.data(), std::false_type{}));
    check();
    const std::vector<T> unguarded = values.copy();
    std::copy(before.begin(), before.end(), values.data());
    CHECK(step(values.data(), std::true_type{}));
    CHECK(values.copy() == unguarded);
}

template <class T, class Arch, std::size_t In, std::size_t Out>
void check_subtract_outer_product(ctnn::Random& random) {
    constexpr layout l = layout_of<T, Arch, In, Out>();
    // keep = 1 is the step without weight decay, which takes a loop of its own.
    for (const T keep : {T(1), T(0.75)}) {
        outer_product_case<T> c(random, l);
        // The unguarded loop is for steps that cannot overflow, as cannot_overflow says of these.
        CHECK(simd::cannot_overflow(keep, T(0.125) * simd::sum_abs<Arch, In>(c.input()),
                                    simd::sum_abs<Arch, l.padded>(c.dz.data())));
        check_both_guards(
            c.dw, c.before,
            [&](T* w, auto guarded) {
                return simd::subtract_outer_product<Arch, In, l.padded, decltype(guarded)::value>(
                    w, c.input(), c.dz.data(), T(0.125), keep);
            },
            [&] { c.check_sgd_step(0.125, keep); });
    }
    add_case<T> bias(random, layout_of<T, Arch, 1, Out>());
    check_both_guards(
        bias.y, bias.before,
        [&](T* y, auto guarded) {
            return simd::subtract_scaled<Arch, l.padded, decltype(guarded)::value>(y, bias.x.data(), T(0.5), T(0.75));
        },
        [&] {
            mismatches m(tolerance<T>);
            for (std::size_t o = 0; o < l.padded; ++o) {
                const double kept = 0.75 * double(bias.before[o]), step = 0.5 * double(bias.x[o]);
                m.near(o, bias.y[o], kept - step, std::abs(kept) + std::abs(step));
            }
            check_no_mismatches("subtract_scaled: y = keep y - rate x", m, l);
        });
}

template <class T, class Arch, std::size_t Out>
void check_add(ctnn::Random& random) {
    constexpr layout l = layout_of<T, Arch, 1, Out>();
    add_case<T> c(random, l);
    simd::add<Arch, l.padded>(c.y.data(), c.x.data());
    c.check();
}

template <class T, class Arch, std::size_t Out>
void check_transform(ctnn::Random& random) {
    constexpr layout l = layout_of<T, Arch, 1, Out>();
    transform_case<T> c(random, l);
    simd::transform<Arch, l.padded>(c.x.data(), c.y.data(), []<class V>(const V& v) { return V(v * (v + V(T(0.5)))); });
    c.check_quadratic();
    simd::transform<Arch, l.padded>(c.x.data(), c.y.data(),
                                    []<class V>(const V& v) { return V(v * V(T(2)) + V(T(1))); });
    c.check_affine();
    const std::vector<T> before = c.x.copy();
    simd::transform<Arch, l.padded>(c.x.data(), c.x.data(), []<class V>(const V& v) { return V(-v); });
    c.check_negated_in_place(before);
}

/// Runs `check.template operator()<Arch, In, Out>()` for every arch and shape.
template <class Check>
void for_each_arch_and_shape(Check&& check) {
    for_each_type(archs{}, [&](auto arch) {
        using Arch = typename decltype(arch)::type;
        for_each_type(shapes{}, [&](auto s) {
            using S = typename decltype(s)::type;
            check.template operator()<Arch, S::in, S::out>();
        });
    });
}

}  // namespace

TEMPLATE_TEST_CASE("affine computes b + W^T x and leaves the padding lanes of z zero", "[kernels][affine]", float,
                   double) {
    ctnn::Random random(1);
    for_each_arch_and_shape(
        [&]<class Arch, std::size_t In, std::size_t Out>() { check_affine<TestType, Arch, In, Out>(random); });
}

TEMPLATE_TEST_CASE("add_outer_product adds x dz^T and leaves the padding lanes of dw zero",
                   "[kernels][add_outer_product]", float, double) {
    ctnn::Random random(2);
    for_each_arch_and_shape([&]<class Arch, std::size_t In, std::size_t Out>() {
        check_add_outer_product<TestType, Arch, In, Out>(random);
    });
}

TEMPLATE_TEST_CASE(
    "subtract_outer_product and subtract_scaled take an SGD step, guarded or not, and keep the padding "
    "lanes zero",
    "[kernels][sgd]", float, double) {
    ctnn::Random random(6);
    for_each_arch_and_shape([&]<class Arch, std::size_t In, std::size_t Out>() {
        check_subtract_outer_product<TestType, Arch, In, Out>(random);
    });
}

TEMPLATE_TEST_CASE("add sums two padded buffers and leaves zero padding lanes zero", "[kernels][add]", float, double) {
    ctnn::Random random(4);
    for_each_arch_and_shape(
        [&]<class Arch, std::size_t In, std::size_t Out>() { check_add<TestType, Arch, Out>(random); });
}

TEMPLATE_TEST_CASE("transform applies a function to every lane of a padded buffer", "[kernels][transform]", float,
                   double) {
    ctnn::Random random(5);
    for_each_arch_and_shape(
        [&]<class Arch, std::size_t In, std::size_t Out>() { check_transform<TestType, Arch, Out>(random); });
}

TEMPLATE_TEST_CASE("padded rounds up to whole registers", "[kernels][padded]", float, double) {
    for_each_type(archs{}, [](auto arch) {
        using Arch = typename decltype(arch)::type;
        constexpr std::size_t lanes = simd::width<TestType, Arch>;
        INFO("Arch = " << arch_name<Arch>() << ", width = " << lanes);
        STATIC_REQUIRE(lanes >= 1);
        STATIC_REQUIRE(simd::alignment<TestType, Arch> == lanes * sizeof(TestType));
        STATIC_REQUIRE(simd::padded<TestType, Arch>(1) == lanes);
        STATIC_REQUIRE(simd::padded<TestType, Arch>(lanes) == lanes);
        STATIC_REQUIRE(simd::padded<TestType, Arch>(lanes + 1) == 2 * lanes);
        STATIC_REQUIRE(simd::padded<TestType, Arch>(64) == 64);  // 64 is a multiple of every width
    });
    STATIC_REQUIRE(simd::width<TestType, simd::scalar_arch> == 1);
    STATIC_REQUIRE(simd::padded<TestType, simd::scalar_arch>(33) == 33);
}

// ---- the lane-wise operations ---------------------------------------------------------------------------------------

namespace {

/// Moderate arguments: signed zeros, tiny values (where expm1, log1p and tanh must keep their relative precision),
/// and normal random values spread over [-20, 20].
template <class T>
std::vector<T> moderate_arguments() {
    std::vector<T> values = {T(0), T(-0.0), T(1e-7), T(-1e-7), T(1e-3), T(-1e-3), T(0.5),   T(-0.5),
                             T(1), T(-1),   T(3),    T(-3),    T(10),   T(-10),   T(19.75), T(-20)};
    ctnn::Random random(6);
    while (values.size() < 80) {
        const T v = random.normal<T>(T(0), T(6));
        if (std::abs(v) <= T(20)) values.push_back(v);
    }
    return values;
}

/// Arguments of log1p: greater than -1.
template <class T>
std::vector<T> log1p_arguments() {
    std::vector<T> values = {T(0), T(-0.0), T(1e-7), T(-1e-7), T(-0.5), T(-0.99), T(1), T(1e3), T(1e6)};
    ctnn::Random random(7);
    while (values.size() < 64) values.push_back(random.uniform<T>(T(-0.95), T(30)));
    return values;
}

/// Applies `op` to `arguments` one register of `Arch` at a time (the tail filled with copies of the first argument) and
/// compares every lane with `reference` on that lane's scalar: |actual - expected| <= ulps * epsilon * max(|expected|,
/// smallest normal), or exact equality when ulps is 0.
template <class T, class Arch, class Op, class Reference>
void check_lanewise(const char* name, const std::vector<T>& arguments, Op op, Reference reference, double ulps) {
    using V = simd::vector_t<T, Arch>;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    aligned_buffer<T, Arch, lanes> in;
    aligned_buffer<T, Arch, lanes> out;
    const double epsilon = std::numeric_limits<T>::epsilon();
    const double smallest = std::numeric_limits<T>::min();
    mismatches m(1);
    for (std::size_t first = 0; first < arguments.size(); first += lanes) {
        for (std::size_t l = 0; l < lanes; ++l) {
            in.values[l] = first + l < arguments.size() ? arguments[first + l] : arguments[0];
        }
        simd::store(out.values.data(), V(op(simd::load<V>(in.values.data()))));
        for (std::size_t l = 0; l < lanes && first + l < arguments.size(); ++l) {
            const double expected = reference(in.values[l]);
            if (ulps == 0) {
                m.exact(first + l, out.values[l], expected);
            } else {
                m.near(first + l, out.values[l], expected, ulps * epsilon * std::max(std::abs(expected), smallest));
            }
        }
    }
    INFO("Arch = " << arch_name<Arch>());
    check_no_mismatches(name, m);
}

/// As check_lanewise, for a binary operation on the pairs (arguments[k], arguments[k + 1]).
template <class T, class Arch, class Op, class Reference>
void check_lanewise_binary(const char* name, const std::vector<T>& arguments, Op op, Reference reference) {
    using V = simd::vector_t<T, Arch>;
    constexpr std::size_t lanes = simd::width<T, Arch>;
    aligned_buffer<T, Arch, lanes> a;
    aligned_buffer<T, Arch, lanes> b;
    aligned_buffer<T, Arch, lanes> out;
    mismatches m(1);
    for (std::size_t first = 0; first < arguments.size(); first += lanes) {
        for (std::size_t l = 0; l < lanes; ++l) {
            const std::size_t k = (first + l) % arguments.size();
            a.values[l] = arguments[k];
            b.values[l] = arguments[(k + 1) % arguments.size()];
        }
        simd::store(out.values.data(), V(op(simd::load<V>(a.values.data()), simd::load<V>(b.values.data()))));
        for (std::size_t l = 0; l < lanes; ++l) m.exact(first + l, out.values[l], reference(a.values[l], b.values[l]));
    }
    INFO("Arch = " << arch_name<Arch>());
    check_no_mismatches(name, m);
}

/// `f.template operator()<Arch>()` for default_arch and scalar_arch.
template <class F>
void for_each_arch(F&& f) {
    for_each_type(archs{}, [&](auto arch) { f.template operator()<typename decltype(arch)::type>(); });
}

}  // namespace

TEMPLATE_TEST_CASE("exp, expm1, log1p and tanh agree with std:: on every lane", "[ops][math]", float, double) {
    using T = TestType;
    const auto moderate = moderate_arguments<T>();
    const auto positive_side = log1p_arguments<T>();
    // xsimd's and libm's results are both within about one ulp of the true value.
    const double ulps = 4;
    for_each_arch([&]<class Arch>() {
        check_lanewise<T, Arch>(
            "exp", moderate, [](const auto& v) { return simd::exp(v); }, [](T x) { return std::exp(double(x)); }, ulps);
        check_lanewise<T, Arch>(
            "expm1", moderate, [](const auto& v) { return simd::expm1(v); }, [](T x) { return std::expm1(double(x)); },
            ulps);
        check_lanewise<T, Arch>(
            "log1p", positive_side, [](const auto& v) { return simd::log1p(v); },
            [](T x) { return std::log1p(double(x)); }, ulps);
        check_lanewise<T, Arch>(
            "tanh", moderate, [](const auto& v) { return simd::tanh(v); }, [](T x) { return std::tanh(double(x)); },
            ulps);
    });
}

TEMPLATE_TEST_CASE("abs, max, min and select agree with std:: on every lane, exactly", "[ops][compare]", float,
                   double) {
    using T = TestType;
    const auto arguments = moderate_arguments<T>();
    for_each_arch([&]<class Arch>() {
        check_lanewise<T, Arch>(
            "abs", arguments, [](const auto& v) { return simd::abs(v); }, [](T x) { return double(std::fabs(x)); }, 0);
        check_lanewise_binary<T, Arch>(
            "max", arguments, [](const auto& a, const auto& b) { return simd::max(a, b); },
            [](T a, T b) { return double(std::max(a, b)); });
        check_lanewise_binary<T, Arch>(
            "min", arguments, [](const auto& a, const auto& b) { return simd::min(a, b); },
            [](T a, T b) { return double(std::min(a, b)); });
        check_lanewise_binary<T, Arch>(
            "select(a < b, a, b)", arguments, [](const auto& a, const auto& b) { return simd::select(a < b, a, b); },
            [](T a, T b) { return double(a < b ? a : b); });
        check_lanewise_binary<T, Arch>(
            "select(a >= b, a - b, b)", arguments,
            [](const auto& a, const auto& b) { return simd::select(a >= b, a - b, b); },
            [](T a, T b) { return double(a >= b ? T(a - b) : b); });
    });
}

TEMPLATE_TEST_CASE("fma, reduce_add and ratio_value agree with scalar arithmetic", "[ops][arithmetic]", float, double) {
    using T = TestType;
    for_each_arch([&]<class Arch>() {
        using V = simd::vector_t<T, Arch>;
        constexpr std::size_t lanes = simd::width<T, Arch>;
        INFO("Arch = " << arch_name<Arch>());
        aligned_buffer<T, Arch, lanes> a, b, c, out;
        ctnn::Random random(8);
        for (std::size_t l = 0; l < lanes; ++l) {
            a.values[l] = random.normal<T>();
            b.values[l] = random.normal<T>();
            c.values[l] = random.normal<T>();
        }
        const V va = simd::load<V>(a.values.data());
        simd::store(out.values.data(), simd::fma(va, simd::load<V>(b.values.data()), simd::load<V>(c.values.data())));
        mismatches m(tolerance<T>);
        double sum = 0, magnitude = 0;
        for (std::size_t l = 0; l < lanes; ++l) {
            const double product = double(a.values[l]) * double(b.values[l]);
            m.near(l, out.values[l], product + c.values[l], std::abs(product) + std::abs(double(c.values[l])));
            sum += a.values[l];
            magnitude += std::abs(double(a.values[l]));
        }
        check_no_mismatches("fma", m);
        CHECK(std::abs(double(simd::reduce_add(va)) - sum) <= tolerance<T> * magnitude);

        // Where the target has the fused instruction, every lane rounds once, as std::fma: (1 + e)^2 - (1 + 2e)
        // is e^2 fused and 0 rounded twice (e = 2^-13 in float, 2^-27 in double), in lanes scaled by powers of two.
        // (xsimd 8.1 has no AVX-512 fma; its generic a * b + c rounded twice wherever the compiler did not contract.)
        if constexpr (simd::math::detail::has_fma && !simd::is_scalar<V>) {
            const T e = std::is_same_v<T, float> ? T(0x1p-13) : T(0x1p-27);
            for (std::size_t l = 0; l < lanes; ++l) {
                const T scale = std::ldexp(T(1), int(l % 5) - 2);
                a.values[l] = l % 2 ? (T(1) + e) * scale : random.normal<T>();
                b.values[l] = l % 2 ? T(1) + e : random.normal<T>();
                c.values[l] = l % 2 ? -(T(1) + T(2) * e) * scale : random.normal<T>();
            }
            simd::store(out.values.data(), simd::fma(simd::load<V>(a.values.data()), simd::load<V>(b.values.data()),
                                                     simd::load<V>(c.values.data())));
            std::size_t unfused = 0;
            for (std::size_t l = 0; l < lanes; ++l) {
                unfused += out.values[l] != T(std::fma(a.values[l], b.values[l], c.values[l]));
            }
            CHECK(unfused == 0);
        }

        simd::store(out.values.data(), simd::ratio_value<V, std::ratio<3, 8>>());
        for (std::size_t l = 0; l < lanes; ++l) CHECK(out.values[l] == T(0.375));
    });
}

TEMPLATE_TEST_CASE("sigmoid and softplus match their definitions and stay finite at +-1000 and 0",
                   "[ops][sigmoid][softplus]", float, double) {
    using T = TestType;
    const auto moderate = moderate_arguments<T>();
    for_each_arch([&]<class Arch>() {
        // Two roundings (exp, then the division or log1p) on top of each function's own error.
        check_lanewise<T, Arch>(
            "sigmoid", moderate, [](const auto& v) { return simd::sigmoid(v); },
            [](T x) { return 1 / (1 + std::exp(-double(x))); }, 8);
        check_lanewise<T, Arch>(
            "softplus", moderate, [](const auto& v) { return simd::softplus(v); },
            [](T x) { return std::log1p(std::exp(double(x))); }, 8);

        const std::vector<T> extremes = {T(1000), T(-1000), T(0), T(-0.0)};
        check_lanewise<T, Arch>(
            "sigmoid at the extremes", extremes, [](const auto& v) { return simd::sigmoid(v); },
            [](T x) { return x > 0   ? 1.0
                             : x < 0 ? 0.0
                                     : 0.5; }, 0);
        check_lanewise<T, Arch>(
            "softplus at +-1000", {T(1000), T(-1000)}, [](const auto& v) { return simd::softplus(v); },
            [](T x) { return x > 0 ? double(x) : 0.0; }, 0);
        check_lanewise<T, Arch>(
            "softplus at 0", {T(0), T(-0.0)}, [](const auto& v) { return simd::softplus(v); },
            [](T) { return double(static_cast<T>(std::log(2.0))); }, 2);
    });
}

// On batches, simd::max and simd::min must return the first operand when either is NaN, as the scalar overloads
// (and std::max / std::min) do: ReLU(z) = max(z, 0) would otherwise turn a NaN into 0 on the SIMD path only, and a
// diverged network would look healthy.
TEMPLATE_TEST_CASE("max and min treat a NaN in the first operand as std::max and std::min do", "[ops][nan]", float,
                   double) {
    using T = TestType;
    const T nan = std::numeric_limits<T>::quiet_NaN();
    const std::vector<T> arguments = {nan, T(0), nan, T(-1), nan, T(2)};
    for_each_arch([&]<class Arch>() {
        using V = simd::vector_t<T, Arch>;
        constexpr std::size_t lanes = simd::width<T, Arch>;
        aligned_buffer<T, Arch, lanes> a, b, out;
        for (std::size_t first = 0; first + 1 < arguments.size(); first += 2) {
            a.values.fill(arguments[first]);
            b.values.fill(arguments[first + 1]);
            const V va = simd::load<V>(a.values.data());
            const V vb = simd::load<V>(b.values.data());
            simd::store(out.values.data(), simd::max(va, vb));
            const T max_lane = out.values[0];
            simd::store(out.values.data(), simd::min(va, vb));
            const T min_lane = out.values[0];
            INFO("Arch = " << arch_name<Arch>() << ", max/min(NaN, " << arguments[first + 1] << ") = " << max_lane
                           << " / " << min_lane);
            CHECK(std::isnan(max_lane) == std::isnan(std::max(arguments[first], arguments[first + 1])));
            CHECK(std::isnan(min_lane) == std::isnan(std::min(arguments[first], arguments[first + 1])));
        }
    });
}

// exp, expm1 and tanh saturate far from 0, and xsimd computes them through an integer exponent: every argument, up to
// the largest finite values, the infinities and NaN, must give the saturated value (the same as std::) without
// undefined behaviour on the way (the sanitizer build runs this test).
TEMPLATE_TEST_CASE("exp, expm1, tanh and log1p take any argument: the whole range, infinities and NaN",
                   "[ops][math][range]", float, double) {
    using T = TestType;
    using limits = std::numeric_limits<T>;
    const std::vector<T> arguments = {limits::lowest(),
                                      T(-1e30),
                                      T(-1e19),
                                      T(-1e5),
                                      T(-800),
                                      T(800),
                                      T(1e5),
                                      T(1e19),
                                      T(1e30),
                                      limits::max(),
                                      -limits::infinity(),
                                      limits::infinity(),
                                      limits::quiet_NaN()};
    // Both NaN, or equal: far from 0 each function has rounded to its limit (0, -1, +-1, inf).
    const auto same = [](T actual, T expected) {
        return std::isnan(expected) ? std::isnan(actual) : actual == expected;
    };
    for_each_arch([&]<class Arch>() {
        using V = simd::vector_t<T, Arch>;
        constexpr std::size_t lanes = simd::width<T, Arch>;
        aligned_buffer<T, Arch, lanes> in, out;
        for (T x : arguments) {
            in.values.fill(x);
            const V v = simd::load<V>(in.values.data());
            INFO("Arch = " << arch_name<Arch>() << ", x = " << x);
            simd::store(out.values.data(), simd::exp(v));
            CHECK(same(out.values[lanes - 1], std::exp(x)));
            simd::store(out.values.data(), simd::expm1(v));
            CHECK(same(out.values[lanes - 1], std::expm1(x)));
            simd::store(out.values.data(), simd::tanh(v));
            CHECK(same(out.values[lanes - 1], std::tanh(x)));
            if (x > T(1e5) || std::isnan(x)) {  // log1p is exact enough to compare only where it is huge or NaN
                simd::store(out.values.data(), simd::log1p(v));
                const T y = out.values[lanes - 1];
                CHECK((same(y, std::log1p(x)) || std::abs(y - std::log1p(x)) <= 4 * limits::epsilon() * std::log1p(x)));
            }
        }
    });
}

TEST_CASE("The kernel tests report the instruction set they were compiled for", "[kernels][isa]") {
#if CTNN_SIMD
    const std::string name = xsimd::default_arch::name();
    const std::size_t float_lanes = xsimd::batch<float>::size;
    const std::size_t double_lanes = xsimd::batch<double>::size;
#else
    const std::string name = simd::scalar_arch::name();
    const std::size_t float_lanes = 1;
    const std::size_t double_lanes = 1;
#endif
    WARN("ctnn::simd::default_arch is " << name << ": " << float_lanes << " float lanes, " << double_lanes
                                        << " double lanes");
    CHECK(name == simd::default_arch::name());
    CHECK(simd::width<float, simd::default_arch> == float_lanes);
    CHECK(simd::width<double, simd::default_arch> == double_lanes);
    // The flags this file was compiled with decide the width (CMake builds it for SSE2, AVX2 and AVX-512).
#if !CTNN_SIMD
    CHECK(name == "scalar");
#elif defined(__AVX512F__)
    CHECK(float_lanes == 16);
#elif defined(__AVX__)
    CHECK(float_lanes == 8);
#elif defined(__SSE2__)
    CHECK(float_lanes == 4);
#endif
}
