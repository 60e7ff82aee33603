// The negative control of the symbol checks (firmware.no_heap_detects, firmware.no_double_detects): an object that
// allocates, with operator new and with malloc, and computes in double, which check_symbols.cmake must report.

#include <cmath>
#include <cstdlib>

int* make_counter() {
    return new int(0);
}

void* make_buffer(std::size_t bytes) {
    return std::malloc(bytes);
}

float float_through_double(float x) {
    return static_cast<float>(std::log(static_cast<double>(x)) * 0.5);
}
