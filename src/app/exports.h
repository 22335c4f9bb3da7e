// What the app saves: the clustered photo as PNG at full resolution, the palette as GIMP, JSON,
// CSS or text, and an animated GIF of the rounds. Bytes only; src/platform/ saves or downloads them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/worker.h"

namespace app {

struct AppState;

/// A finished export: the file name to suggest and its bytes.
struct ExportFile {
    std::string name;
    std::vector<uint8_t> bytes;
};

struct ExportJob;

/// The exports' worker and the export under way (one at a time), held by the app's state.
struct Exporter {
    /// The export being built, or null; see exports.cpp.
    std::shared_ptr<ExportJob> job;
    /// Last, so that its thread stops before the rest goes.
    core::Worker worker;
};

/// Longest side of the GIF's frames: the rounds are re-rendered for every frame, so a big photo
/// is scaled down (nearest neighbour) to keep the work and the file small.
constexpr int kGifMaxSide = 640;

/// The kind named by a file name's extension ("png", "gif", "gpl", "json", "css", "txt"), or "".
std::string export_kind_of(const std::string& path);

/// Builds the export of that kind from the current result; false (and error) when there is no
/// result yet, the kind is unknown, or (GIF) k is over 256.
bool make_export(const AppState& state, const std::string& kind, ExportFile& out, std::string& error);

/// Builds an export on the state's Exporter (a full-size PNG of a big photo takes seconds), so
/// frames go on; export_section saves it once it is ready. False when one is already under way.
bool start_export(AppState& state, const std::string& kind);

/// The controls panel's "Export" section: one button per kind, progress, and where the last file
/// went. Also hands a finished export to platform::save_file, so call it every frame.
void export_section(AppState& state);

} // namespace app
