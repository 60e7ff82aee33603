#pragma once

/// @file
/// Everything for working with data sets: reading CSV files (ctnn/io/csv.hpp), datasets,
/// shuffling and splitting, input scaling, and metrics. Hosted only, so it is not part of
/// the freestanding core in ctnn/ctnn.hpp; include both.

#include "ctnn/config.hpp"

#if !CTNN_HOSTED
#error "ctnn/data.hpp: not available in freestanding builds"
#endif

#include "ctnn/data/dataset.hpp"
#include "ctnn/data/metrics.hpp"
#include "ctnn/data/scaling.hpp"
#include "ctnn/io/csv.hpp"
