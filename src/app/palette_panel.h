// The left panel's palette: every colour of the result with its hex and its share of the pixels.
#pragma once

#include <array>
#include <vector>

#include "core/cluster.h"

namespace app {

/// The palette's rows in a scrolling list (every colour, largest share first); a click on a
/// swatch or its hex copies the hex.
/// Returns the colour under the mouse (its pixels are highlighted), or -1. `swatches` gets each
/// drawn swatch's screen rect (x0, y0, x1, y1), for the test hook.
int palette_panel(const core::ClusterResult& result, std::vector<std::array<float, 4>>& swatches);

} // namespace app
