// The desktop's file browser, on std::filesystem: one folder at a time, its parent, subfolders
// and the files whose extension kpix decodes; listings are read when the folder changes only.
#include "files_panel.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

#include <imgui.h>

#include "app.h"

namespace app {
namespace {

namespace fs = std::filesystem;

struct Browser {
    bool open = false;
    bool listed = false;
    fs::path folder;
    std::vector<std::string> folders;
    std::vector<std::string> files;
    std::string error;
};

Browser& browser()
{
    static Browser b;
    if (b.folder.empty()) {
        std::error_code ec;
        b.folder = fs::current_path(ec);
        if (ec) {
            b.folder = "/";
        }
    }
    return b;
}

bool is_image(const fs::path& path)
{
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* known : {".jpg", ".jpeg", ".png", ".heic", ".heif", ".avif", ".webp", ".tif", ".tiff", ".bmp",
                              ".gif", ".tga", ".psd", ".hdr", ".pnm", ".ppm", ".pgm"}) {
        if (ext == known) {
            return true;
        }
    }
    return false;
}

void list(Browser& b)
{
    b.folders.clear();
    b.files.clear();
    b.error.clear();
    b.listed = true;
    std::error_code ec;
    for (fs::directory_iterator it(b.folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.') {
            continue; // hidden files, as a file manager hides them
        }
        std::error_code type_ec;
        if (it->is_directory(type_ec)) {
            b.folders.push_back(name);
        } else if (is_image(it->path())) {
            b.files.push_back(name);
        }
    }
    if (ec) {
        b.error = "Cannot list " + b.folder.string() + ": " + ec.message();
    }
    std::sort(b.folders.begin(), b.folders.end());
    std::sort(b.files.begin(), b.files.end());
}

void go_to(Browser& b, const fs::path& folder)
{
    b.folder = folder.lexically_normal();
    b.listed = false;
}

} // namespace

void show_files_panel()
{
    Browser& b = browser();
    b.open = true;
    b.listed = false; // the folder may have changed since it was last shown
}

std::string files_folder()
{
    return browser().folder.string();
}

void files_panel(AppState& s)
{
    Browser& b = browser();
    if (!b.open) {
        return;
    }
    if (!b.listed) {
        list(b);
    }
    ImGui::SetNextWindowSize(ImVec2(460, 420), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowBgAlpha(1.0f); // the panels behind would show through the listing
    if (!ImGui::Begin("Open image", &b.open)) {
        ImGui::End();
        return;
    }
    ImGui::TextWrapped("%s", b.folder.string().c_str());
    if (ImGui::Button("Up") && b.folder.has_parent_path() && b.folder != b.folder.root_path()) {
        go_to(b, b.folder.parent_path());
    }
    ImGui::SameLine();
    ImGui::TextDisabled("double-click a photo to open it; exports are saved here");
    if (!b.error.empty()) {
        ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", b.error.c_str());
    }
    ImGui::BeginChild("entries", ImVec2(0, 0), true);
    fs::path next;
    for (const std::string& name : b.folders) {
        const std::string label = "[" + name + "]";
        if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick) &&
            ImGui::IsMouseDoubleClicked(0)) {
            next = b.folder / name;
        }
    }
    for (const std::string& name : b.files) {
        if (ImGui::Selectable(name.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick) &&
            ImGui::IsMouseDoubleClicked(0)) {
            open_path(s.doc, (b.folder / name).string());
            b.open = false;
        }
    }
    if (b.folders.empty() && b.files.empty() && b.error.empty()) {
        ImGui::TextDisabled("no folders or images here");
    }
    ImGui::EndChild();
    ImGui::End();
    if (!next.empty()) {
        go_to(b, next);
    }
}

} // namespace app
