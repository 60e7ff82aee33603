#pragma once

/// @file
/// Every loss and the rule that pairs each with its output unit.

#include "ctnn/loss/binary_cross_entropy.hpp"
#include "ctnn/loss/categorical_cross_entropy.hpp"
#include "ctnn/loss/mean_squared_error.hpp"
#include "ctnn/loss/pairing.hpp"
