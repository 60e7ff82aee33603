#pragma once

// What the firmware tests share: reporting through semihosting and a barrier against constant folding.
// newlib-nano's printf has no %f (without -u _printf_float), so numbers are printed from integers.

#include <cstdio>

namespace firmware {

/// Prints `value` with four significant digits, as d.ddde<exponent>.
inline void print_number(float value) {
    if (value != value) {
        std::printf("nan");
        return;
    }
    if (value < 0) {
        std::printf("-");
        value = -value;
    }
    if (value == 0 || value > 3.4e38f) {
        std::printf(value == 0 ? "0" : "inf");
        return;
    }
    int exponent = 0;
    while (value >= 10) {
        value /= 10;
        ++exponent;
    }
    while (value < 1) {
        value *= 10;
        --exponent;
    }
    long digits = static_cast<long>(value * 1000 + 0.5f);
    if (digits >= 10000) {
        digits /= 10;
        ++exponent;
    }
    std::printf("%ld.%03lde%d", digits / 1000, digits % 1000, exponent);
}

/// Prints `label`, `value` and a newline.
inline void print_line(const char* label, float value) {
    std::printf("%s", label);
    print_number(value);
    std::printf("\n");
}

/// Makes `object` opaque to the optimiser: the compiler must assume that its bytes changed here. The references and
/// networks are constexpr, and without this the compiler may compute a test's results at compile time, on the host.
template <class T>
inline void opaque(T& object) {
    __asm__ volatile("" : : "r"(&object) : "memory");
}

}  // namespace firmware
