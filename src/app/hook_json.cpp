// The test hook's JSON, in the stats JSON's words.
#include "hook_json.h"

#include <algorithm>

#include "core/stats.h"

namespace app {
namespace {

std::string rect_json(const std::array<float, 4>& r)
{
    return "[" + core::json_number(r[0]) + "," + core::json_number(r[1]) + "," + core::json_number(r[2]) + "," +
        core::json_number(r[3]) + "]";
}

/// The view section's layout keys: panels shown, window size, images and windows drawn.
std::string layout_json(const ViewReport& view)
{
    std::string images;
    for (const std::array<float, 4>& r : view.images) {
        images += (images.empty() ? "" : ",") + rect_json(r);
    }
    std::string widgets;
    for (const auto& [name, r] : view.widgets) {
        widgets += (widgets.empty() ? "" : ",") + std::string("{\"name\":") + core::json_string(name) +
            ",\"rect\":" + rect_json(r) + "}";
    }
    return ",\"side_panel\":" + std::string(view.side_panel ? "true" : "false") +
        ",\"cloud\":" + (view.cloud ? "true" : "false") + ",\"window\":[" + core::json_number(view.window[0]) +
        "," + core::json_number(view.window[1]) + "],\"images\":[" + images + "],\"widgets\":[" + widgets + "]";
}

} // namespace

std::string stats_json(const Document& doc, const ViewReport& view)
{
    std::string notes = "[";
    for (const std::string& note : doc.link_notes) {
        notes += (notes.size() > 1 ? "," : "") + core::json_string(note);
    }
    notes += "]";
    std::string head = "{\"status\":" + core::json_string(status_name(doc.status)) +
        ",\"message\":" + core::json_string(doc.message) + ",\"sample\":" +
        core::json_string(doc.sample) + ",\"link\":" + core::json_string(doc.link) +
        ",\"notes\":" + notes;
    if (doc.status != Status::done || !doc.result) {
        return head + "}";
    }
    const int pos = view.position;
    const int last = view.last_position;
    head += ",\"position\":" + std::to_string(pos) + ",\"last_position\":" + std::to_string(last) +
        ",\"round\":" + std::to_string(std::min(pos / 2 + 1, doc.result->iterations)) +
        ",\"phase\":" + core::json_string(pos >= last ? "final" : pos % 2 == 0 ? "assign" : "update") +
        ",\"playing\":" + (view.playing ? "true" : "false") +
        ",\"shown\":" + (view.shown ? "true" : "false") +
        ",\"presenter\":" + (view.presenter ? "true" : "false") +
        ",\"boundaries\":" + (view.boundaries ? "true" : "false") +
        ",\"cloud_points\":" + std::to_string(view.cloud_points) +
        ",\"cloud_yaw\":" + core::json_number(view.cloud_yaw);
    head += ",\"view\":{\"split\":" + std::string(view.split ? "true" : "false") +
        ",\"divider\":" + core::json_number(view.divider) + ",\"zoom\":" + core::json_number(view.zoom) +
        ",\"cx\":" + core::json_number(view.cx) + ",\"cy\":" + core::json_number(view.cy) +
        ",\"rect\":[" + core::json_number(view.rect[0]) + "," + core::json_number(view.rect[1]) + "," +
        core::json_number(view.rect[2]) + "," + core::json_number(view.rect[3]) + "]" + layout_json(view) + "}" +
        ",\"seeds\":" + std::to_string(doc.params.seeds.size()) +
        ",\"work_pixels\":" + std::to_string(doc.params.work_pixels);
    if (doc.compare && doc.compare_result) {
        const bool main_rgb = doc.result_params.xy <= 0.0f;
        const core::ClusterResult& rgb = main_rgb ? *doc.result : *doc.compare_result;
        const core::ClusterResult& xy = main_rgb ? *doc.compare_result : *doc.result;
        head += ",\"compare\":{\"rgb\":{\"inertia\":" + core::json_number(rgb.inertia) +
            ",\"rounds\":" + std::to_string(rgb.iterations) + "},\"rgbxy\":{\"inertia\":" +
            core::json_number(xy.inertia) + ",\"rounds\":" + std::to_string(xy.iterations) + "}}";
    } else {
        head += std::string(",\"compare\":") + (doc.compare ? "\"running\"" : "null");
    }
    core::RunInfo info;
    info.source = doc.image_name;
    info.threads = doc.runner->threads();
    info.seconds_decode = doc.seconds_decode;
    info.orientation = doc.orientation;
    info.icc_profile = doc.icc_profile;
    const std::string body = core::stats_json(doc.result_params, *doc.result, info);
    return head + "," + body.substr(1);
}

} // namespace app
