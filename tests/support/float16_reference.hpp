#pragma once

// An independent reference for rounding float to IEEE 754 binary16 (11 significant bits, normals from 2^-14 to 65504,
// subnormals down to 2^-24): the definition-based rounding of support/float_format_reference.hpp.
// ctnn::round_to_float16 works on bit patterns instead.

#include "support/float_format_reference.hpp"

namespace ctnn_test {

/// The binary16 value nearest to the finite or infinite `value`, ties to the one with an even last significand bit,
/// as a float (binary16 values are floats; +-infinity from 65520 on, the midpoint above the largest finite value
/// 65504). Not for NaN.
inline float reference_float16(float value) {
    return reference_round(value, float_format{11, -14, 15});
}

}  // namespace ctnn_test
