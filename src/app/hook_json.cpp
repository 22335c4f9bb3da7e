// The test hook's JSON, in the stats JSON's words.
#include "hook_json.h"

#include <algorithm>

#include "core/stats.h"

namespace app {
namespace {

core::Json rect_json(const std::array<float, 4>& r)
{
    return {core::json_value(r[0]), core::json_value(r[1]), core::json_value(r[2]), core::json_value(r[3])};
}

} // namespace

RoundShown round_shown(int position, int last_position, int iterations)
{
    RoundShown shown;
    shown.round = std::min(position / 2 + 1, iterations);
    shown.phase = position >= last_position ? "final" : position % 2 == 0 ? "assign" : "update";
    return shown;
}

std::string stats_json(const Document& doc, const ViewReport& view)
{
    core::Json j;
    j["status"] = status_name(doc.status);
    j["message"] = doc.message;
    j["sample"] = doc.sample;
    j["link"] = doc.link;
    j["notes"] = doc.link_notes;
    if (doc.image) {
        // The photo's size, also while a first result shows its working copy.
        j["full_width"] = doc.full_width;
        j["full_height"] = doc.full_height;
    }
    // A first result is shown while the full size is worked on (status still running).
    const bool first = first_result_shown(doc) && doc.result &&
        (doc.status == Status::running || doc.status == Status::done);
    if ((doc.status != Status::done && !first) || !doc.result) {
        return core::json_text(j);
    }
    // Which result the stats below are of: "first", the working copy's (width and height are the
    // copy's), or "full".
    j["stage"] = first ? "first" : "full";
    const int pos = view.position;
    const int last = view.last_position;
    j["position"] = pos;
    j["last_position"] = last;
    const RoundShown shown = round_shown(pos, last, doc.result->iterations);
    j["round"] = shown.round;
    j["phase"] = shown.phase;
    j["playing"] = view.playing;
    j["shown"] = view.shown;
    j["presenter"] = view.presenter;
    j["light"] = view.light;
    j["boundaries"] = view.boundaries;
    j["regions"] = view.regions;
    j["region_markers"] = view.region_markers;
    j["cloud_points"] = view.cloud_points;
    j["cloud_yaw"] = core::json_value(view.cloud_yaw);
    core::Json images;
    images["split"] = view.split;
    images["divider"] = core::json_value(view.divider);
    images["zoom"] = core::json_value(view.zoom);
    images["cx"] = core::json_value(view.cx);
    images["cy"] = core::json_value(view.cy);
    images["rect"] = {core::json_value(view.rect[0]), core::json_value(view.rect[1]),
                      core::json_value(view.rect[2]), core::json_value(view.rect[3])};
    // The layout: panels shown, the window's size, the images and every ImGui window drawn.
    images["side_panel"] = view.side_panel;
    images["cloud"] = view.cloud;
    images["window"] = {core::json_value(view.window[0]), core::json_value(view.window[1])};
    images["images"] = core::Json::array();
    for (const std::array<float, 4>& r : view.images) {
        images["images"].push_back(rect_json(r));
    }
    images["cloud_area"] = rect_json(view.cloud_area);
    images["timeline_area"] = rect_json(view.timeline_area);
    images["bars_area"] = rect_json(view.bars_area);
    images["swatches"] = core::Json::array();
    for (const std::array<float, 4>& r : view.swatches) {
        images["swatches"].push_back(rect_json(r));
    }
    images["widgets"] = core::Json::array();
    for (const auto& [name, r] : view.widgets) {
        images["widgets"].push_back({{"name", name}, {"rect", rect_json(r)}});
    }
    j["view"] = std::move(images);
    j["seeds"] = doc.params.seeds.size();
    j["work_pixels"] = doc.params.work_pixels;
    if (doc.compare && doc.compare_result) {
        const bool main_rgb = doc.result_params.xy <= 0.0f;
        const core::ClusterResult& rgb = main_rgb ? *doc.result : *doc.compare_result;
        const core::ClusterResult& xy = main_rgb ? *doc.compare_result : *doc.result;
        j["compare"] = {{"rgb", {{"inertia", core::json_value(rgb.inertia)}, {"rounds", rgb.iterations}}},
                        {"rgbxy", {{"inertia", core::json_value(xy.inertia)}, {"rounds", xy.iterations}}}};
    } else {
        j["compare"] = doc.compare ? core::Json("running") : core::Json(nullptr);
    }
    core::RunInfo info;
    info.source = doc.image_name;
    info.threads = doc.runner->threads();
    info.seconds_decode = doc.seconds_decode;
    info.decode = doc.decode_notes;
    // The page's own keys first, then the stats JSON's vocabulary.
    j.update(core::stats_json(doc.result_params, *doc.result, info));
    return core::json_text(j);
}

} // namespace app
