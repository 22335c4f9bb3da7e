// Where a native build finds its files: next to the executable (a build folder) or in the
// install prefix's share/kpix. Desktop and CLI only.
#pragma once

#include <string>

namespace platform {

/// The folder holding the sample photos, or empty if none is found. Looks in
/// <exe dir>/samples, <exe dir>/../share/kpix/samples, then $KPIX_SAMPLES_DIR.
std::string samples_dir();

} // namespace platform
