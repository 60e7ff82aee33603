#pragma once

/// @file
/// Every loss, the rule that pairs each with its output unit, and class-index targets.

#include "ctnn/loss/binary_cross_entropy.hpp"
#include "ctnn/loss/categorical_cross_entropy.hpp"
#include "ctnn/loss/class_labels.hpp"
#include "ctnn/loss/mean_squared_error.hpp"
#include "ctnn/loss/mse_loss.hpp"
#include "ctnn/loss/pairing.hpp"
