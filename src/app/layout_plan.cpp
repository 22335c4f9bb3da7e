// The image area's plan: four candidates (panes across or stacked; timeline and cloud under the
// images or beside them) are sized and the one with the largest images wins. Under is preferred
// on a tie: the timeline then spans the width and its rounds are easiest to tell apart.
#include "layout_plan.h"

#include <algorithm>

namespace app {
namespace {

/// The least share of the images' scale without the cloud that a plan with it must keep.
constexpr float kCloudCost = 0.67f;

/// The scale at which two panes (with their labels) fit in region, and the size they then take.
float fit(const LayoutNeeds& n, bool wide, ImVec2 region, ImVec2& used)
{
    const float w = static_cast<float>(n.width);
    const float h = static_cast<float>(n.height);
    const float scale = wide ? std::min((region.x - n.gap) * 0.5f / w, (region.y - n.label_h) / h)
                             : std::min(region.x / w, ((region.y - n.gap) * 0.5f - n.label_h) / h);
    if (!(scale > 0.0f)) {
        used = ImVec2(0, 0);
        return 0.0f;
    }
    used = wide ? ImVec2(2 * w * scale + n.gap, h * scale + n.label_h)
                : ImVec2(w * scale, 2 * (h * scale + n.label_h) + n.gap);
    return scale;
}

/// Places the panes at `at` in the arrangement fit() sized.
void place_panes(const LayoutNeeds& n, LayoutPlan& p, ImVec2 at)
{
    p.pane = ImVec2(n.width * p.scale, n.height * p.scale);
    p.first = at;
    p.second = p.wide ? ImVec2(at.x + p.pane.x + n.gap, at.y) : ImVec2(at.x, at.y + p.pane.y + n.label_h + n.gap);
}

/// Timeline and cloud in a strip under the images (the cloud at its right end); false if the cloud
/// does not get its least side.
bool plan_under(const LayoutNeeds& n, bool wide, LayoutPlan& p)
{
    const bool timeline = n.timeline_h > 0.0f;
    const ImVec2 region(n.avail.x, n.avail.y - (timeline ? n.timeline_h + n.gap : 0.0f));
    ImVec2 used;
    p = LayoutPlan();
    p.wide = wide;
    p.scale = fit(n, wide, region, used);
    place_panes(n, p, ImVec2(std::max(0.0f, (n.avail.x - used.x) * 0.5f), 0));
    if (!timeline) {
        return n.cloud_min <= 0.0f;
    }
    const float top = used.y + n.gap;
    const float strip = n.avail.y - top;
    float cloud = 0.0f;
    if (n.cloud_min > 0.0f) {
        cloud = std::min(strip - n.cloud_line, n.avail.x - n.timeline_w - n.gap);
        if (cloud < n.cloud_min) {
            return false;
        }
        p.cloud_side = cloud;
        p.cloud_at = ImVec2(n.avail.x - cloud, top);
    }
    p.timeline_at = ImVec2(0, top);
    p.timeline_size = ImVec2(n.avail.x - (cloud > 0.0f ? cloud + n.gap : 0.0f), strip);
    return true;
}

/// Cloud and timeline in a column right of the images (the cloud on top); false if they do not fit.
bool plan_beside(const LayoutNeeds& n, bool wide, LayoutPlan& p)
{
    if (n.timeline_h <= 0.0f) {
        return false;
    }
    const float column_min = std::max(n.timeline_w, n.cloud_min);
    const ImVec2 region(n.avail.x - column_min - n.gap, n.avail.y);
    ImVec2 used;
    p = LayoutPlan();
    p.wide = wide;
    p.beside = true;
    p.scale = fit(n, wide, region, used);
    place_panes(n, p, ImVec2(0, 0));
    const float x = used.x + n.gap;
    const float column = n.avail.x - x;
    float top = 0.0f;
    if (n.cloud_min > 0.0f) {
        const float cloud = std::min(column, n.avail.y - n.timeline_h - n.gap - n.cloud_line);
        if (cloud < n.cloud_min) {
            return false;
        }
        p.cloud_side = cloud;
        p.cloud_at = ImVec2(x + (column - cloud) * 0.5f, 0);
        top = cloud + n.cloud_line + n.gap;
    }
    p.timeline_at = ImVec2(x, top);
    p.timeline_size = ImVec2(column, n.avail.y - top);
    return true;
}

} // namespace

LayoutPlan plan_layout(const LayoutNeeds& needs)
{
    LayoutPlan best;
    bool found = false;
    for (const bool beside : {false, true}) {
        for (const bool wide : {true, false}) {
            LayoutPlan p;
            const bool fits = beside ? plan_beside(needs, wide, p) : plan_under(needs, wide, p);
            // A candidate must be clearly larger to displace an earlier one (under, across first).
            if (fits && (!found || p.scale > best.scale * 1.01f)) {
                best = p;
                found = true;
            }
        }
    }
    if (needs.cloud_min <= 0.0f) {
        return best;
    }
    // The cloud gives way when keeping it would shrink the images by more than a third.
    LayoutNeeds without = needs;
    without.cloud_min = 0.0f;
    const LayoutPlan alone = plan_layout(without);
    return found && best.scale >= alone.scale * kCloudCost ? best : alone;
}

} // namespace app
