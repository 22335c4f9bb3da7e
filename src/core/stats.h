// The JSON kpix writes, in one vocabulary (k, space, seed, inertia, palette, ...) shared by the
// CLI's --stats-json file, its long flags, the page's test hook and the URL fragment: the stats of a
// clustering, a sweep over k and a k-grid. Every JSON text goes through json_text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "choose_k.h"
#include "cluster.h"
#include "k_gallery.h"

namespace core {

/// Every JSON object kpix writes is built as one of these; keys keep the order they were added in.
using Json = nlohmann::ordered_json;

/// j as text on one line. Strings that are not valid UTF-8 (a file name in another encoding) have
/// each bad byte replaced by U+FFFD, so that the text is always valid JSON.
std::string json_text(const Json& j);

/// A number as a JSON value: integral values as integers (1, not 1.0), non-finite ones as null.
Json json_value(double v);
/// A float as the shortest decimal that reads back to the same float (0.3f -> 0.3).
Json json_value(float v);

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

/// The parameters, the result and the palette ([[r, g, b, share], ...], largest share first).
/// Callers add their own keys to the object (the CLI its output options, the page its view).
Json stats_json(const ClusterParams& params, const ClusterResult& result, const RunInfo& info);

/// A sweep's points: [{k, k_used, inertia, iterations, seconds, silhouette, gap, gap_sd}], the
/// scores that options did not ask for as null.
Json sweep_points_json(const SweepResult& sweep, const ChooseKOptions& options);

/// The k each metric suggests: {elbow, silhouette, gap}, null where not computed (elbow: whether
/// the elbow was asked for).
Json suggested_json(const SweepResult& sweep, bool elbow);

/// The stats of a sweep over k of one image: source, width, height, space, xy, seed, sample,
/// gap_refs, sweep (sweep_points_json), suggested, seconds_clustering (the clusterings' sum).
Json sweep_json(const std::string& source, const Image& image, const ClusterParams& params,
                const ChooseKOptions& options, const SweepResult& sweep, bool elbow);

/// A k-grid's tiles: [{k, k_used, inertia, iterations}], and with a layout where each tile sits
/// in the composed picture (x, y, tile_width, tile_height).
Json grid_tiles_json(const KGrid& grid, const GridLayout* layout);

/// The stats of a k-grid written to file: source, width, height, space, xy, init, seed, and grid
/// {file, width, height, columns, rows, gap, label_height, tiles}.
Json grid_json(const std::string& source, const Image& image, const ClusterParams& params,
               const KGrid& grid, const GridLayout& layout, const std::string& file);

/// A number as text: the shortest that reads back to the same double; non-finite becomes null.
/// For text that is not JSON (links, messages); JSON numbers are json_value's.
std::string json_number(double v);
/// The same for a float: the shortest text that reads back to the same float (0.3f -> "0.3").
std::string json_number(float v);

} // namespace core
