#pragma once

/// @file
/// Training: optimisers, learning-rate schedules, gradient clipping, the trainer and what it
/// reports.

#include "ctnn/train/adam.hpp"
#include "ctnn/train/clip.hpp"
#include "ctnn/train/flush_to_zero.hpp"
#include "ctnn/train/fused_sgd_step.hpp"
#include "ctnn/train/momentum.hpp"
#include "ctnn/train/schedule.hpp"
#include "ctnn/train/sgd.hpp"
#include "ctnn/train/step_result.hpp"
#include "ctnn/train/trainer.hpp"
