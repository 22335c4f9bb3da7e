// The JSON kpix writes, built with nlohmann::json (Debian's nlohmann-json3-dev): the keys are
// the project's vocabulary, the escaping and number formatting the library's.
#include "stats.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace core {

std::string json_text(const Json& j)
{
    return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::replace);
}

Json json_value(double v)
{
    if (!std::isfinite(v)) {
        return nullptr;
    }
    // Integral values as integers, as the text kpix wrote before ("xy":1, not "xy":1.0).
    if (std::fabs(v) < 9007199254740992.0 && v == std::trunc(v)) {
        return static_cast<int64_t>(v);
    }
    return v;
}

Json json_value(float v)
{
    if (!std::isfinite(v)) {
        return nullptr;
    }
    return json_value(std::strtod(json_number(v).c_str(), nullptr));
}

std::string json_number(double v)
{
    if (!std::isfinite(v)) {
        return "null";
    }
    char buf[40];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) {
            break;
        }
    }
    return buf;
}

std::string json_number(float v)
{
    if (!std::isfinite(v)) {
        return "null";
    }
    char buf[40];
    for (int precision = 6; precision <= 9; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
        if (std::strtof(buf, nullptr) == v) {
            break;
        }
    }
    return buf;
}

Json stats_json(const ClusterParams& params, const ClusterResult& result, const RunInfo& info)
{
    const KMeansParams& km = params.kmeans;
    Json palette = Json::array();
    for (int c = 0; c < result.k; ++c) {
        const uint8_t* p = result.palette.data() + 3 * static_cast<size_t>(c);
        palette.push_back({p[0], p[1], p[2], json_value(result.shares[c])});
    }
    Json per_round = Json::array();
    for (const auto& round : result.rounds) {
        per_round.push_back(json_value(round.inertia));
    }
    Json j;
    j["source"] = info.source;
    j["width"] = result.width;
    j["height"] = result.height;
    j["orientation"] = info.decode.orientation;
    j["icc_profile"] = info.decode.icc_profile;
    j["k"] = result.k;
    j["k_requested"] = km.k;
    j["space"] = space_name(params.space);
    j["xy"] = json_value(params.xy);
    j["init"] = init_name(km.init);
    j["n_init"] = km.n_init;
    j["max_iter"] = km.max_iter;
    j["tol"] = json_value(km.tol);
    j["seed"] = km.seed;
    j["iterations"] = result.iterations;
    j["inertia"] = json_value(result.inertia);
    j["converged"] = result.converged;
    j["distinct_colours"] = result.distinct_colours;
    j["seconds_decode"] = json_value(info.seconds_decode);
    j["seconds_cluster"] = json_value(result.seconds);
    j["threads"] = info.threads;
    j["note"] = result.note;
    j["palette"] = std::move(palette);
    j["inertia_per_round"] = std::move(per_round);
    // The rounds' image: a working copy's size when one was used (inertia_per_round is its).
    j["rounds_width"] = result.rounds_width;
    j["rounds_height"] = result.rounds_height;
    return j;
}

namespace {

/// The first keys of sweep_json and grid_json: the image and the features clustered.
Json image_features_json(const std::string& source, const Image& image, const ClusterParams& params)
{
    Json j;
    j["source"] = source;
    j["width"] = image.width;
    j["height"] = image.height;
    j["space"] = space_name(params.space);
    j["xy"] = json_value(params.xy);
    return j;
}

/// The first keys of a sweep point and of a grid tile.
Json k_summary_json(const KSummary& s)
{
    Json j;
    j["k"] = s.k;
    j["k_used"] = s.k_used;
    j["inertia"] = json_value(s.inertia);
    j["iterations"] = s.iterations;
    return j;
}

} // namespace

Json sweep_points_json(const SweepResult& sweep, const ChooseKOptions& options)
{
    auto score = [](bool on, double v) { return on ? json_value(v) : Json(nullptr); };
    Json points = Json::array();
    for (const SweepPoint& p : sweep.points) {
        Json point = k_summary_json(p);
        point["seconds"] = json_value(p.seconds);
        point["silhouette"] = score(options.silhouette, p.silhouette);
        point["gap"] = score(options.gap, p.gap);
        point["gap_sd"] = score(options.gap, p.gap_sd);
        points.push_back(std::move(point));
    }
    return points;
}

Json suggested_json(const SweepResult& sweep, bool elbow)
{
    auto k_or_null = [](int k) { return k > 0 ? Json(k) : Json(nullptr); };
    Json j;
    j["elbow"] = k_or_null(elbow ? sweep.elbow : 0);
    j["silhouette"] = k_or_null(sweep.silhouette);
    j["gap"] = k_or_null(sweep.gap);
    return j;
}

Json sweep_json(const std::string& source, const Image& image, const ClusterParams& params,
                const ChooseKOptions& options, const SweepResult& sweep, bool elbow)
{
    double seconds = 0.0;
    for (const SweepPoint& p : sweep.points) {
        seconds += p.seconds;
    }
    Json j = image_features_json(source, image, params);
    j["seed"] = params.kmeans.seed;
    j["sample"] = options.sample;
    j["gap_refs"] = options.gap_refs;
    j["sweep"] = sweep_points_json(sweep, options);
    j["suggested"] = suggested_json(sweep, elbow);
    j["seconds_clustering"] = json_value(seconds);
    return j;
}

Json grid_tiles_json(const KGrid& grid, const GridLayout* layout)
{
    Json tiles = Json::array();
    for (size_t i = 0; i < grid.tiles.size(); ++i) {
        const GridTile& t = grid.tiles[i];
        Json tile = k_summary_json(t);
        if (layout != nullptr && 2 * i + 1 < layout->origins.size()) {
            tile["x"] = layout->origins[2 * i];
            tile["y"] = layout->origins[2 * i + 1];
            tile["tile_width"] = t.thumbnail.width;
            tile["tile_height"] = t.thumbnail.height;
        }
        tiles.push_back(std::move(tile));
    }
    return tiles;
}

Json grid_json(const std::string& source, const Image& image, const ClusterParams& params,
               const KGrid& grid, const GridLayout& layout, const std::string& file)
{
    Json g;
    g["file"] = file;
    g["width"] = layout.width;
    g["height"] = layout.height;
    g["columns"] = layout.columns;
    g["rows"] = layout.rows;
    g["gap"] = layout.gap;
    g["label_height"] = layout.label_height;
    g["tiles"] = grid_tiles_json(grid, &layout);
    Json j = image_features_json(source, image, params);
    j["init"] = init_name(params.kmeans.init);
    j["seed"] = params.kmeans.seed;
    j["grid"] = std::move(g);
    return j;
}

} // namespace core
