// The desktop's built-in file browser: a window listing the current folder's subfolders and
// image files; a double-click opens an image. Exports are saved into the folder it shows.
#pragma once

#include <string>

namespace app {

struct AppState;

/// Opens the browser window (the desktop's "Open image..." button).
void show_files_panel();

/// Draws the browser when it is open; call once a frame inside the ImGui frame.
void files_panel(AppState& state);

/// The folder the browser shows (the current directory until the user moves).
std::string files_folder();

} // namespace app
