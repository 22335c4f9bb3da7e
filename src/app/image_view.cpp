// Zoom, pan and the before/after divider over images drawn with ImGui: the textures are never
// copied, each pane draws the visible UV range of its texture into the same screen rect.
#include "image_view.h"

#include <algorithm>
#include <cstdint>

namespace app {
namespace {

constexpr float kMaxZoom = 32.0f;

ImTextureID tex_id(unsigned texture)
{
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture));
}

/// Keeps the visible square inside the image.
void clamp_centre(ImageView& view)
{
    view.zoom = std::clamp(view.zoom, 1.0f, kMaxZoom);
    const float half = 0.5f / view.zoom;
    view.cx = std::clamp(view.cx, half, 1.0f - half);
    view.cy = std::clamp(view.cy, half, 1.0f - half);
}

} // namespace

ImVec2 ImageArea::to_screen(float u, float v) const
{
    return ImVec2(lo.x + (u - uv0.x) / (uv1.x - uv0.x) * (hi.x - lo.x),
                  lo.y + (v - uv0.y) / (uv1.y - uv0.y) * (hi.y - lo.y));
}

void fit(ImageView& view)
{
    view.zoom = 1.0f;
    view.cx = 0.5f;
    view.cy = 0.5f;
}

ImageArea image_area(const char* id, ImageView& view, ImVec2 box, int w, int h, unsigned left,
                     unsigned right)
{
    ImageArea area;
    if (w <= 0 || h <= 0 || box.x <= 1 || box.y <= 1) {
        return area;
    }
    const float scale = std::min(box.x / w, box.y / h);
    const ImVec2 size(w * scale, h * scale);
    const ImVec2 cursor = ImGui::GetCursorScreenPos();
    area.lo = ImVec2(cursor.x + (box.x - size.x) * 0.5f, cursor.y + (box.y - size.y) * 0.5f);
    area.hi = ImVec2(area.lo.x + size.x, area.lo.y + size.y);
    ImGui::PushID(id);

    // The divider's handle is submitted before the image so that it, not the pan, takes the press.
    const float split_x = area.lo.x + view.divider * size.x;
    const float grip = std::max(6.0f, ImGui::GetFontSize() * 0.5f);
    if (right != 0) {
        ImGui::SetCursorScreenPos(ImVec2(split_x - grip, area.lo.y));
        ImGui::InvisibleButton("##divider", ImVec2(grip * 2, size.y));
        if (ImGui::IsItemActive()) {
            const float x = ImGui::GetIO().MousePos.x;
            view.divider = std::clamp((x - area.lo.x) / size.x, 0.0f, 1.0f);
        }
        if (ImGui::IsItemHovered() || ImGui::IsItemActive()) {
            ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
        }
    }
    ImGui::SetCursorScreenPos(area.lo);
    ImGui::InvisibleButton("##image", size);
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {
        // Zoom around the cursor: the UV under it stays under it.
        const float fx = (io.MousePos.x - area.lo.x) / size.x;
        const float fy = (io.MousePos.y - area.lo.y) / size.y;
        const float u = view.cx + (fx - 0.5f) / view.zoom;
        const float v = view.cy + (fy - 0.5f) / view.zoom;
        view.zoom = std::clamp(view.zoom * (io.MouseWheel > 0 ? 1.25f : 0.8f), 1.0f, kMaxZoom);
        view.cx = u - (fx - 0.5f) / view.zoom;
        view.cy = v - (fy - 0.5f) / view.zoom;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
        view.cx -= io.MouseDelta.x / size.x / view.zoom;
        view.cy -= io.MouseDelta.y / size.y / view.zoom;
    }
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        fit(view);
    }
    clamp_centre(view);
    const float half = 0.5f / view.zoom;
    area.uv0 = ImVec2(view.cx - half, view.cy - half);
    area.uv1 = ImVec2(view.cx + half, view.cy + half);
    if (ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 9.0f) {
        area.clicked = true;
        area.click_uv = ImVec2(area.uv0.x + (io.MousePos.x - area.lo.x) / size.x * (area.uv1.x - area.uv0.x),
                               area.uv0.y + (io.MousePos.y - area.lo.y) / size.y * (area.uv1.y - area.uv0.y));
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (right == 0) {
        draw->AddImage(tex_id(left), area.lo, area.hi, area.uv0, area.uv1);
    } else {
        const float u_split = area.uv0.x + view.divider * (area.uv1.x - area.uv0.x);
        if (view.divider > 0.0f) {
            draw->AddImage(tex_id(left), area.lo, ImVec2(split_x, area.hi.y), area.uv0,
                           ImVec2(u_split, area.uv1.y));
        }
        if (view.divider < 1.0f) {
            draw->AddImage(tex_id(right), ImVec2(split_x, area.lo.y), area.hi,
                           ImVec2(u_split, area.uv0.y), area.uv1);
        }
        draw->AddLine(ImVec2(split_x, area.lo.y), ImVec2(split_x, area.hi.y), IM_COL32(255, 255, 255, 230), 2.0f);
        const float mid = (area.lo.y + area.hi.y) * 0.5f;
        draw->AddCircleFilled(ImVec2(split_x, mid), grip, IM_COL32(255, 255, 255, 230));
        draw->AddTriangleFilled(ImVec2(split_x - grip * 0.7f, mid), ImVec2(split_x - 1, mid - grip * 0.5f),
                                ImVec2(split_x - 1, mid + grip * 0.5f), IM_COL32(40, 40, 40, 255));
        draw->AddTriangleFilled(ImVec2(split_x + grip * 0.7f, mid), ImVec2(split_x + 1, mid + grip * 0.5f),
                                ImVec2(split_x + 1, mid - grip * 0.5f), IM_COL32(40, 40, 40, 255));
    }
    // Leave the cursor below the area, as an ImGui::Image of the box would.
    ImGui::SetCursorScreenPos(ImVec2(cursor.x, cursor.y + box.y));
    ImGui::Dummy(ImVec2(0, 0));
    ImGui::PopID();
    return area;
}

} // namespace app
