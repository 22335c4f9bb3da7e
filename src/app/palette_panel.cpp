// The palette: a row per colour with a large swatch, its hex (a click copies it through the
// platform's clipboard) and its share of the pixels as a bar, in a list that lays out only the rows
// in view.
#include "palette_panel.h"

#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "panels.h"
#include "platform_api.h"

namespace app {
namespace {

void hex_of(const uint8_t* rgb, char* out, size_t n)
{
    std::snprintf(out, n, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
}

/// The last hex copied from the palette and when, for the "copied" note.
struct CopiedHex {
    char hex[16] = "";
    bool ok = false;
    double at = -10.0;
};

/// One palette row: a large swatch, its hex (a click on either copies it), and its share of the
/// pixels as a bar, scaled so that the largest share fills the row. Returns whether it is hovered.
bool palette_row(const core::ClusterResult& r, int c, double largest, CopiedHex& copied,
                 std::vector<std::array<float, 4>>& swatches)
{
    const float font = ImGui::GetFontSize();
    const uint8_t* p = r.palette.data() + 3 * static_cast<size_t>(c);
    const ImVec4 colour(p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f, 1.0f);
    char hex[16];
    hex_of(p, hex, sizeof hex);
    ImGui::PushID(c);
    bool hovered = false;
    bool copy = ImGui::ColorButton("##swatch", colour, ImGuiColorEditFlags_NoTooltip, ImVec2(font * 3.6f, font * 2.0f));
    hovered |= ImGui::IsItemHovered();
    swatches.push_back({ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y, ImGui::GetItemRectMax().x,
                        ImGui::GetItemRectMax().y});
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(2, font * 0.5f - 1));
    copy |= ImGui::Selectable(hex, false, 0, ImGui::CalcTextSize("#000000"));
    ImGui::PopStyleVar();
    hovered |= ImGui::IsItemHovered();
    if (hovered) {
        ImGui::SetTooltip("click: copy %s", hex);
    }
    if (copy) {
        std::snprintf(copied.hex, sizeof copied.hex, "%s", hex);
        copied.ok = platform::copy_text(hex);
        copied.at = ImGui::GetTime();
    }
    // The share: a bar, its figure at its end.
    ImGui::SameLine();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    const float height = font * 2.0f;
    ImGui::Dummy(ImVec2(width, height));
    char share[24];
    std::snprintf(share, sizeof share, "%.1f %%", r.shares[static_cast<size_t>(c)] * 100.0);
    const float text_w = ImGui::CalcTextSize(share).x;
    const float room = std::max(1.0f, width - text_w - 6);
    const float bar = largest > 0.0 ? room * static_cast<float>(r.shares[static_cast<size_t>(c)] / largest) : 0.0f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float y0 = at.y + height * 0.25f;
    draw->AddRectFilled(ImVec2(at.x, y0), ImVec2(at.x + std::max(1.0f, bar), y0 + height * 0.5f),
                        ImGui::GetColorU32(ImGuiCol_PlotHistogram));
    draw->AddText(ImVec2(at.x + bar + 4, at.y + (height - font) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), share);
    ImGui::PopID();
    return hovered;
}

} // namespace

int palette_panel(const core::ClusterResult& r, std::vector<std::array<float, 4>>& swatches)
{
    swatches.clear();
    static CopiedHex copied;
    int hovered = -1;
    ImGui::Text("Palette (%d colours)", r.k);
    char note[48];
    if (ImGui::GetTime() - copied.at < 3.0) {
        std::snprintf(note, sizeof note, copied.ok ? "copied %s" : "could not copy %s", copied.hex);
    } else {
        std::snprintf(note, sizeof note, "click a colour to copy it");
    }
    same_line_if_fits(ImGui::CalcTextSize(note).x);
    ImGui::TextDisabled("%s", note);
    double largest = 0.0;
    for (int c = 0; c < r.k; ++c) {
        largest = std::max(largest, r.shares[static_cast<size_t>(c)]);
    }
    // A child that takes the panel's remaining height (at least 3 rows) and scrolls; only its
    // visible rows are laid out (ImGuiListClipper), so k = 4096 costs a frame what a screenful does.
    const float row = ImGui::GetFontSize() * 2.0f + ImGui::GetStyle().ItemSpacing.y;
    const float all = row * static_cast<float>(r.k) + ImGui::GetStyle().WindowPadding.y;
    const float height = std::min(all, std::max(row * 3.0f, ImGui::GetContentRegionAvail().y));
    ImGui::BeginChild("palette", ImVec2(0, height), false);
    ImGuiListClipper clipper;
    clipper.Begin(r.k, row);
    while (clipper.Step()) {
        for (int c = clipper.DisplayStart; c < clipper.DisplayEnd; ++c) {
            if (palette_row(r, c, largest, copied, swatches)) {
                hovered = c;
            }
        }
    }
    ImGui::EndChild();
    return hovered;
}

} // namespace app
