// What the app asks of the platform it runs on, declared here by the app that needs it (so no
// include runs from src/app up to src/platform); src/platform/web.cpp and desktop.cpp define it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace core {
struct Sample;
}
namespace app {
struct AppState;
}

namespace platform {

/// Fetches a built-in sample's bytes and hands them to app::open_bytes (at once on the desktop,
/// when the download finishes in the browser).
void request_sample(app::AppState& state, const core::Sample& sample);

/// Shows the link's fragment in the address bar (browser; nothing on the desktop).
void set_link(const std::string& fragment);

/// Puts text on the clipboard; the UI says whether it worked.
bool copy_text(const std::string& text);

/// The full link for a fragment ("https://host/path#fragment"), or the fragment alone.
std::string link_for(const std::string& fragment);

/// Offers the user a way to pick an image file (the browser's picker; on the desktop, the
/// built-in file browser).
void pick_file();

/// Whether pick_file() opens a real picker.
bool can_pick_file();

/// Saves an export: the browser downloads it under suggested_name, the desktop writes it into
/// the file browser's folder (the current directory at first). Returns a sentence for the UI
/// saying where it went or why it could not be saved.
std::string save_file(const std::string& suggested_name, const std::vector<uint8_t>& bytes);

} // namespace platform
