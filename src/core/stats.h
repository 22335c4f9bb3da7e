// The stats JSON: the one vocabulary (k, space, seed, inertia, palette, ...) shared by the CLI's
// --stats-json file, its long flags, the page's test hook and the URL fragment.
#pragma once

#include <string>

#include "cluster.h"

namespace core {

struct RunInfo {
    /// Where the pixels came from (a file name or a sample's name); may be empty.
    std::string source;
    /// Threads that worked on the clustering.
    int threads = 1;
    /// Seconds spent decoding the file.
    double seconds_decode = 0.0;
    /// What the decoder did: EXIF orientation applied (1 = stored upright), the ICC profile
    /// converted to sRGB ("" = none).
    DecodeNotes decode;
};

/// A JSON object with the parameters, the result and the palette ([[r, g, b, share], ...],
/// largest share first), one line, no trailing newline.
std::string stats_json(const ClusterParams& params, const ClusterResult& result, const RunInfo& info);

/// JSON string literal for s (quotes included), escaping what JSON requires.
std::string json_string(const std::string& s);

/// A number as JSON: shortest text that reads back to the same double; non-finite becomes null.
std::string json_number(double v);
/// The same for a float: the shortest text that reads back to the same float (0.3f -> "0.3").
std::string json_number(float v);

} // namespace core
