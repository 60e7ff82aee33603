#pragma once

/// @file
/// The library version; CMake reads these three macros.

#define CTNN_VERSION_MAJOR 0
#define CTNN_VERSION_MINOR 1
#define CTNN_VERSION_PATCH 0
