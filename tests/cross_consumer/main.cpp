// Runs the consumer's network: exit code 0 when it learnt XOR.
#include "network.hpp"

#include <cstdio>

int main() {
    const float error = xor_error_after_training();
    std::printf("ctnn cross consumer (%s): XOR sum of squared errors %g\n", simd_arch_name(), double(error));
    return error < 0.05f ? 0 : 1;
}
