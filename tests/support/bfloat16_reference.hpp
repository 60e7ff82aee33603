#pragma once

// An independent reference for rounding float to bfloat16 (8 significant bits, float's exponent range): the
// definition-based rounding of support/float_format_reference.hpp. ctnn::round_to_bfloat16 works on bit patterns
// instead.

#include "support/float_format_reference.hpp"

namespace ctnn_test {

/// The bfloat16 value nearest to the finite or infinite `value`, ties to the one with an even last significand bit,
/// as a float (bfloat16 values are floats; +-infinity when the value rounds beyond the largest finite one). Not for
/// NaN.
inline float reference_bfloat16(float value) {
    return reference_round(value, float_format{8, -126, 127});
}

}  // namespace ctnn_test
