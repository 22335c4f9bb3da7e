// Images in memory and the one decoder path every build uses (stb_image), with the limits and
// messages a user sees when a file cannot be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace core {

/// 8-bit RGBA, rows top to bottom, width * height * 4 bytes.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgba;

    size_t pixels() const { return static_cast<size_t>(width) * static_cast<size_t>(height); }
};

/// Largest image kpix decodes: 40 megapixels (a 24 MP photo and its working buffers fit in
/// wasm's memory with room to spare).
constexpr size_t kMaxPixels = 40'000'000;

struct DecodeResult {
    bool ok = false;
    Image image;
    /// The container format that was read ("jpeg", "png", ...), or that was recognised but not
    /// readable.
    std::string format;
    /// A sentence for the user when ok is false.
    std::string error;
    /// The file's EXIF orientation (1..8; 1 when it has none), already applied: image is upright.
    int orientation = 1;
    /// What applying it did ("rotated 90° clockwise"); empty when nothing.
    std::string orientation_applied;
    /// Description of the embedded ICC profile the pixels were converted from to sRGB
    /// ("Display P3"); empty when none was (no profile: the pixels are taken as sRGB).
    std::string icc_profile;
    /// Frames in the file: more than 1 for an animated GIF, of which only the first is decoded.
    int frames = 1;
    /// Anything about decoding the user should be told when ok is true (a profile that was
    /// ignored, "animated GIF: first frame of 3 used"); empty when nothing.
    std::string note;
};

/// Decodes JPEG, PNG, BMP, GIF (first frame), TGA, PSD, HDR, PIC or PNM bytes into RGBA8, upright
/// (EXIF orientation applied) and in sRGB (an embedded ICC profile converted), so nothing
/// downstream has to know about either. Never throws on bad input: a failure comes back with a
/// readable message.
DecodeResult decode_image(const uint8_t* data, size_t size);

/// Reads a whole file; false (and a message) on failure.
bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& error);

/// Writes bytes to a file; false (and a message) on failure.
bool write_file(const std::string& path, const std::vector<uint8_t>& bytes, std::string& error);

} // namespace core
