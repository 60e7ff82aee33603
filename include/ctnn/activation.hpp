#pragma once

/// @file
/// Every activation and output unit.

#include "ctnn/activation/abs.hpp"
#include "ctnn/activation/binary_step.hpp"
#include "ctnn/activation/elu.hpp"
#include "ctnn/activation/identity.hpp"
#include "ctnn/activation/relu.hpp"
#include "ctnn/activation/sigmoid.hpp"
#include "ctnn/activation/softmax.hpp"
#include "ctnn/activation/softplus.hpp"
#include "ctnn/activation/swish.hpp"
#include "ctnn/activation/tanh.hpp"
#include "ctnn/activation/traits.hpp"
