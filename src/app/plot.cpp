// The k plot: one InvisibleButton for the whole area (hover and click), everything else drawn
// on the window's draw list in screen pixels.
#include "plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {

KPlotResult k_plot(const KPlot& p)
{
    KPlotResult out;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(p.id, p.size);
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 end(at.x + p.size.x, at.y + p.size.y);
    draw->AddRectFilled(at, end, ImGui::GetColorU32(ImGuiCol_FrameBg), 3.0f);
    const float font = ImGui::GetFontSize();
    draw->AddText(ImVec2(at.x + 6, at.y + 3), ImGui::GetColorU32(ImGuiCol_Text), p.title);
    if (!p.ks || !p.values || p.ks->empty() || p.values->size() < p.ks->size()) {
        return out;
    }
    const std::vector<int>& ks = *p.ks;
    const std::vector<double>& v = *p.values;
    const size_t n = ks.size();
    auto err = [&](size_t i) { return p.errors && i < p.errors->size() ? (*p.errors)[i] : 0.0; };
    double lo = INFINITY;
    double hi = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
        lo = std::min(lo, v[i] - err(i));
        hi = std::max(hi, v[i] + err(i));
    }
    if (!(hi > lo)) {
        lo -= 1.0;
        hi += 1.0;
    }
    // The plotting area: room for the title above, the x labels below and the y labels on the left.
    char label[48];
    float label_w = 0.0f;
    for (double value : {lo, hi}) {
        std::snprintf(label, sizeof label, "%.3g", value);
        label_w = std::max(label_w, ImGui::CalcTextSize(label).x);
    }
    const float left = at.x + label_w + 10;
    const float right = end.x - 10;
    const float top = at.y + font + 8;
    const float bottom = end.y - font - 6;
    const int k0 = ks.front();
    const int k1 = ks.back();
    auto sx = [&](int k) {
        return k1 > k0 ? left + (right - left) * static_cast<float>(k - k0) / static_cast<float>(k1 - k0)
                       : 0.5f * (left + right);
    };
    auto sy = [&](double value) {
        return bottom - (bottom - top) * static_cast<float>((value - lo) / (hi - lo));
    };
    const ImU32 grid_col = IM_COL32(255, 255, 255, 40);
    const ImU32 line_col = IM_COL32(120, 180, 255, 255);
    const ImU32 mark_col = IM_COL32(255, 210, 60, 255);
    const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    // Axes: y from the lowest to the highest value, with both (and the middle when there is room);
    // x with every value whose label fits beside the previous one.
    draw->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), grid_col);
    draw->AddLine(ImVec2(left, top), ImVec2(left, bottom), grid_col);
    const int y_ticks = bottom - top > font * 4 ? 3 : 2;
    for (int i = 0; i < y_ticks; ++i) {
        const double value = lo + (hi - lo) * i / (y_ticks - 1);
        const float y = sy(value);
        std::snprintf(label, sizeof label, "%.3g", value);
        const float w = ImGui::CalcTextSize(label).x;
        draw->AddText(ImVec2(left - w - 4, y - font * 0.5f), text_col, label);
        draw->AddLine(ImVec2(left, y), ImVec2(right, y), grid_col);
    }
    float next_free = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(label, sizeof label, "%d", ks[i]);
        const float w = ImGui::CalcTextSize(label).x;
        const float x = sx(ks[i]) - w * 0.5f;
        if (x >= next_free && (i + 1 == n || x + w + font < sx(k1) - ImGui::CalcTextSize("99").x * 0.5f)) {
            draw->AddText(ImVec2(x, bottom + 3), text_col, label);
            draw->AddLine(ImVec2(sx(ks[i]), bottom), ImVec2(sx(ks[i]), bottom + 2), grid_col);
            next_free = x + w + font;
        }
    }
    if (p.current >= k0 && p.current <= k1) {
        draw->AddLine(ImVec2(sx(p.current), top), ImVec2(sx(p.current), bottom), IM_COL32(255, 210, 60, 160), 1.5f);
    }
    for (size_t i = 0; i + 1 < n; ++i) {
        draw->AddLine(ImVec2(sx(ks[i]), sy(v[i])), ImVec2(sx(ks[i + 1]), sy(v[i + 1])), line_col, 1.5f);
    }
    for (size_t i = 0; i < n; ++i) {
        const float x = sx(ks[i]);
        if (err(i) > 0.0) {
            const float y0 = sy(v[i] - err(i));
            const float y1 = sy(v[i] + err(i));
            draw->AddLine(ImVec2(x, y0), ImVec2(x, y1), line_col, 1.0f);
            draw->AddLine(ImVec2(x - 3, y0), ImVec2(x + 3, y0), line_col, 1.0f);
            draw->AddLine(ImVec2(x - 3, y1), ImVec2(x + 3, y1), line_col, 1.0f);
        }
        draw->AddCircleFilled(ImVec2(x, sy(v[i])), 2.5f, line_col);
        if (ks[i] == p.current) {
            draw->AddCircleFilled(ImVec2(x, sy(v[i])), 4.5f, mark_col);
        }
        if (ks[i] == p.suggested) {
            out.suggested_at = ImVec2(x, sy(v[i]));
            draw->AddCircle(out.suggested_at, 6.5f, mark_col, 0, 2.0f);
            std::snprintf(label, sizeof label, "%d", ks[i]);
            const float w = ImGui::CalcTextSize(label).x;
            draw->AddText(ImVec2(x - w * 0.5f, bottom + 3), mark_col, label);
        }
    }
    // The k nearest the mouse along x: hover shows it, a click picks it.
    const float mx = ImGui::GetIO().MousePos.x;
    size_t near = 0;
    for (size_t i = 1; i < n; ++i) {
        if (std::fabs(sx(ks[i]) - mx) < std::fabs(sx(ks[near]) - mx)) {
            near = i;
        }
    }
    if (hovered) {
        draw->AddCircle(ImVec2(sx(ks[near]), sy(v[near])), 5.0f, IM_COL32(255, 255, 255, 220), 0, 1.5f);
        char hint[64];
        std::snprintf(hint, sizeof hint, p.click_hint, ks[near]);
        if (err(near) > 0.0) {
            ImGui::SetTooltip("%s = %d: %.5g +- %.3g\n%s", p.x_name, ks[near], v[near], err(near), hint);
        } else {
            ImGui::SetTooltip("%s = %d: %.5g\n%s", p.x_name, ks[near], v[near], hint);
        }
    }
    if (clicked) {
        out.clicked = ks[near];
    }
    return out;
}

} // namespace app
