#pragma once

/// @file
/// Everything in ctnn's core. Hosted-only helpers live under ctnn/io/ and are included
/// separately.

#include "ctnn/activation.hpp"
#include "ctnn/backprop.hpp"
#include "ctnn/bfloat16.hpp"
#include "ctnn/bfloat16_network.hpp"
#include "ctnn/config.hpp"
#include "ctnn/dense.hpp"
#include "ctnn/float16.hpp"
#include "ctnn/float16_network.hpp"
#include "ctnn/gradients.hpp"
#include "ctnn/init.hpp"
#include "ctnn/input.hpp"
#include "ctnn/loss.hpp"
#include "ctnn/network.hpp"
#include "ctnn/quantized_network.hpp"
#include "ctnn/random.hpp"
#include "ctnn/train.hpp"
#include "ctnn/version.hpp"
#include "ctnn/workspace.hpp"
