// The k plot and the round bars: one InvisibleButton for the whole area (hover and click),
// everything else drawn on the window's draw list in screen pixels, in the theme's colours.
#include "plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace app {
namespace {

/// The theme's text colour at this opacity: grid lines and ticks that suit dark and light themes.
ImU32 text_alpha(float alpha)
{
    ImVec4 c = ImGui::GetStyleColorVec4(ImGuiCol_Text);
    c.w *= alpha;
    return ImGui::GetColorU32(c);
}

bool light_theme()
{
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    return bg.x + bg.y + bg.z > 1.5f;
}

/// Nice tick values for a log axis over [lo, hi] (both > 0): the powers of ten inside, else 1-2-5
/// steps, else the two ends.
std::vector<double> log_ticks(double lo, double hi)
{
    std::vector<double> ticks;
    for (const double step : {10.0, 0.0}) {
        ticks.clear();
        for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10.0) {
            for (const double m : step > 0.0 ? std::vector<double>{1.0} : std::vector<double>{1.0, 2.0, 5.0}) {
                if (decade * m >= lo && decade * m <= hi) {
                    ticks.push_back(decade * m);
                }
            }
        }
        if (ticks.size() >= 2) {
            return ticks;
        }
    }
    return {lo, hi};
}

} // namespace

ImU32 accent_colour()
{
    return light_theme() ? IM_COL32(200, 110, 0, 255) : IM_COL32(255, 210, 60, 255);
}

KPlotResult k_plot(const KPlot& p)
{
    KPlotResult out;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(p.id, p.size);
    ImGui::SetItemAllowOverlap(); // a toggle may sit over the chart's corner
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
    // On a log axis values are placed by their log10; the lowest positive value bounds the axis.
    auto ty = [&](double value) {
        return p.log_y ? std::log10(std::max(value, 1e-300)) : value;
    };
    double lo = INFINITY;
    double hi = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
        const double low = v[i] - err(i);
        if (!p.log_y || low > 0.0) {
            lo = std::min(lo, low);
        } else if (v[i] > 0.0) {
            lo = std::min(lo, v[i]);
        }
        hi = std::max(hi, v[i] + err(i));
    }
    if (!(hi > lo)) {
        lo = p.log_y && lo > 0.0 ? lo / 2 : lo - 1.0;
        hi = p.log_y && hi > 0.0 ? hi * 2 : hi + 1.0;
    }
    const bool log_y = p.log_y && lo > 0.0;
    std::vector<double> ticks;
    if (log_y) {
        ticks = log_ticks(lo, hi);
    }
    // The plotting area: room for the title above (the top tick's label stays under it), the x
    // labels below and the y labels on the left.
    char label[48];
    float label_w = 0.0f;
    for (double value : log_y ? ticks : std::vector<double>{lo, hi, (lo + hi) * 0.5}) {
        std::snprintf(label, sizeof label, "%.3g", value);
        label_w = std::max(label_w, ImGui::CalcTextSize(label).x);
    }
    const float left = at.x + label_w + 10;
    const float right = end.x - 10;
    const float top = at.y + font * 1.5f + 6;
    const float bottom = end.y - font - 6;
    const int k0 = ks.front();
    const int k1 = ks.back();
    auto sxf = [&](float k) {
        return k1 > k0 ? left + (right - left) * (k - static_cast<float>(k0)) / static_cast<float>(k1 - k0)
                       : 0.5f * (left + right);
    };
    auto sx = [&](int k) { return sxf(static_cast<float>(k)); };
    const double y_lo = log_y ? std::log10(lo) : lo;
    const double y_hi = log_y ? std::log10(hi) : hi;
    auto sy = [&](double value) {
        const double t = (std::clamp(log_y ? ty(value) : value, y_lo, y_hi) - y_lo) / (y_hi - y_lo);
        return bottom - (bottom - top) * static_cast<float>(t);
    };
    const ImU32 grid_col = text_alpha(0.16f);
    const ImU32 line_col = light_theme() ? IM_COL32(30, 100, 200, 255) : IM_COL32(120, 180, 255, 255);
    const ImU32 mark_col = accent_colour();
    const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    // Axes: y with its ticks (lowest, highest and the middle when there is room; on a log axis the
    // round values between), each label only where it clears the one before; x with every value
    // whose label fits beside the previous one.
    draw->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), grid_col);
    draw->AddLine(ImVec2(left, top), ImVec2(left, bottom), grid_col);
    if (!log_y) {
        const int y_ticks = bottom - top > font * 4 ? 3 : 2;
        for (int i = 0; i < y_ticks; ++i) {
            ticks.push_back(lo + (hi - lo) * i / (y_ticks - 1));
        }
    }
    float label_above = INFINITY;
    for (const double value : ticks) {
        const float y = sy(value);
        draw->AddLine(ImVec2(left, y), ImVec2(right, y), grid_col);
        if (y + font * 0.5f > label_above && &value != &ticks.back()) {
            continue;
        }
        std::snprintf(label, sizeof label, "%.3g", value);
        const float w = ImGui::CalcTextSize(label).x;
        draw->AddText(ImVec2(left - w - 4, y - font * 0.5f), text_col, label);
        label_above = y - font * 0.5f;
    }
    // The suggested k's label (in the accent) keeps its place; the others avoid it.
    float suggested_lo = INFINITY;
    float suggested_hi = -INFINITY;
    if (p.suggested >= k0 && p.suggested <= k1) {
        std::snprintf(label, sizeof label, "%d", p.suggested);
        const float w = ImGui::CalcTextSize(label).x;
        suggested_lo = sx(p.suggested) - w * 0.5f - font * 0.5f;
        suggested_hi = sx(p.suggested) + w * 0.5f + font * 0.5f;
    }
    float next_free = -INFINITY;
    for (size_t i = 0; i < n; ++i) {
        std::snprintf(label, sizeof label, "%d", ks[i]);
        const float w = ImGui::CalcTextSize(label).x;
        // Centred under its tick, but never past the plot's right edge.
        const float x = std::min(sx(ks[i]) - w * 0.5f, end.x - w - 2);
        draw->AddLine(ImVec2(sx(ks[i]), bottom), ImVec2(sx(ks[i]), bottom + 2), grid_col);
        const bool clear_of_suggested = x + w < suggested_lo || x > suggested_hi;
        if (x >= next_free && clear_of_suggested &&
            (i + 1 == n || x + w + font < sx(k1) - ImGui::CalcTextSize("99").x * 0.5f)) {
            draw->AddText(ImVec2(x, bottom + 3), text_col, label);
            next_free = x + w + font;
        }
    }
    if (p.current >= k0 && p.current <= k1) {
        const float x = sxf(static_cast<float>(p.current) + p.current_offset);
        draw->AddLine(ImVec2(x, top), ImVec2(x, bottom), (mark_col & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 170), 1.5f);
        if (p.current_label) {
            // Beside the line, on the side with room.
            const float w = ImGui::CalcTextSize(p.current_label).x;
            const float lx = x + 4 + w <= right ? x + 4 : x - 4 - w;
            draw->AddText(ImVec2(lx, top), mark_col, p.current_label);
        }
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
            draw->AddText(ImVec2(std::min(x - w * 0.5f, end.x - w - 2), bottom + 3), mark_col, label);
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
        draw->AddCircle(ImVec2(sx(ks[near]), sy(v[near])), 5.0f, text_alpha(0.85f), 0, 1.5f);
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

int round_bars(const RoundBars& b)
{
    if (!b.values || b.values->empty() || b.last_position <= 0) {
        return 0;
    }
    const std::vector<double>& v = *b.values;
    // NOTE: mirrors ImGui 1.86's SliderInt geometry (SliderBehaviorT): 2 px of padding at each
    // end, a grab of (width / (range + 1)) but at least GrabMinSize, whose centre travels the rest.
    const float slider = b.scrub_max.x - b.scrub_min.x - 4.0f;
    const float grab = std::min(slider, std::max(slider / static_cast<float>(b.last_position + 1),
                                                 ImGui::GetStyle().GrabMinSize));
    auto x_of = [&](float position) {
        return b.scrub_min.x + 2.0f + grab * 0.5f + (slider - grab) * position / static_cast<float>(b.last_position);
    };
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 tick_col = text_alpha(0.45f);
    const size_t rounds = v.size();
    // A tick on the scrubber's lower edge at every round's start; every fifth longer.
    for (size_t r = 0; r < rounds; ++r) {
        const float x = x_of(static_cast<float>(2 * r));
        const float len = r % 5 == 0 ? 5.0f : 3.0f;
        draw->AddLine(ImVec2(x, b.scrub_max.y - len), ImVec2(x, b.scrub_max.y), tick_col);
    }
    const ImVec2 at(b.scrub_min.x, ImGui::GetCursorScreenPos().y);
    const float width = b.scrub_max.x - b.scrub_min.x;
    ImGui::InvisibleButton(b.id, ImVec2(width, b.height));
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();
    double most = 0.0;
    for (const double value : v) {
        most = std::max(most, value);
    }
    const float bottom = at.y + b.height;
    const double scale = std::log1p(std::max(most, 1.0));
    const ImU32 bar_col = light_theme() ? IM_COL32(90, 120, 170, 255) : IM_COL32(110, 140, 190, 255);
    const ImU32 current_col = accent_colour();
    draw->AddLine(ImVec2(at.x, bottom), ImVec2(at.x + width, bottom), text_alpha(0.25f));
    const float mx = ImGui::GetIO().MousePos.x;
    int near = 0;
    float near_d = INFINITY;
    for (size_t r = 0; r < rounds; ++r) {
        const float x0 = x_of(static_cast<float>(2 * r));
        const float x1 = std::max(x0 + 1.0f, x_of(static_cast<float>(2 * r + 1)));
        const float hgt = v[r] > 0.0 ? std::max(1.0f, (b.height - 1) * static_cast<float>(std::log1p(v[r]) / scale)) : 0.0f;
        const bool current = static_cast<int>(r) + 1 == b.current;
        draw->AddRectFilled(ImVec2(x0, bottom - hgt), ImVec2(x1, bottom), current ? current_col : bar_col);
        const float d = std::fabs(0.5f * (x0 + x1) - mx);
        if (d < near_d) {
            near_d = d;
            near = static_cast<int>(r);
        }
    }
    // What the bars are, at the top right where the last (converging) rounds' bars are low.
    const char* title = "pixels changed";
    const ImVec2 title_size = ImGui::CalcTextSize(title);
    if (title_size.x < width * 0.4f) {
        // On the ground's colour, so that bars under it do not cross the letters.
        const ImVec2 lo(at.x + width - title_size.x - 4, at.y);
        draw->AddRectFilled(lo, ImVec2(at.x + width, at.y + title_size.y), ImGui::GetColorU32(ImGuiCol_WindowBg));
        draw->AddText(ImVec2(lo.x + 2, lo.y), text_alpha(0.7f), title);
    }
    if (hovered) {
        ImGui::SetTooltip("round %d: %.0f pixels changed cluster (bars on a log scale)\nclick: show round %d",
                          near + 1, v[static_cast<size_t>(near)], near + 1);
    }
    return clicked ? near + 1 : 0;
}

} // namespace app
