// What the app asks of the platform it runs on; src/platform/web.cpp and desktop.cpp answer.
#pragma once

namespace platform {

/// Offers the user a way to pick an image file (the browser's picker; on the desktop, a hint to
/// drop a file or pass it on the command line until the built-in browser exists).
void pick_file();

/// Whether pick_file() opens a real picker.
bool can_pick_file();

} // namespace platform
