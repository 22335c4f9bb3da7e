// Images in memory and the one decoder path every build uses (libjpeg-turbo for JPEG, libspng for
// PNG, stb_image for the rest, then orientation and colour profile), with the limits and messages
// a user sees when a file cannot be read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace core {

class ThreadPool;

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

struct DecodeOptions {
    /// 0: the full image. Otherwise a working copy of at most this many pixels (aspect ratio
    /// kept, as downscale_area makes it) comes back instead; a JPEG is then decoded at 1/2, 1/4 or
    /// 1/8 of its size in the DCT domain when that still leaves at least max_pixels, so the full
    /// size is never decoded. Orientation and colour profile are applied to the copy.
    size_t max_pixels = 0;
    /// Runs the ICC conversion and the orientation on this pool (nullptr: on the calling thread).
    /// The pixels do not depend on it.
    ThreadPool* pool = nullptr;
    /// Decode JPEG and PNG with stb_image as every build did before libjpeg-turbo and libspng:
    /// the reference the tests and benchmarks compare the new decoders with.
    bool stb_reference = false;
};

/// What decoding did to a photo, told to the user and written to the stats: kept as one piece
/// from the decoder to the app's panel, the CLI's notes and the stats JSON.
struct DecodeNotes {
    /// The file's EXIF orientation (1..8; 1 when it has none), already applied: image is upright.
    int orientation = 1;
    /// What applying it did ("rotated 90° clockwise"); empty when nothing.
    std::string orientation_applied;
    /// Description of the embedded ICC profile the pixels were converted from to sRGB
    /// ("Display P3"); empty when none was (no profile: the pixels are taken as sRGB).
    std::string icc_profile;
    /// Anything about decoding the user should be told when ok is true (a profile that was
    /// ignored, "animated GIF: first frame of 3 used"); empty when nothing.
    std::string note;
};

/// The decoded pixels and the notes on how they were made (a DecodeResult is its DecodeNotes
/// plus the image: pass it where the notes are wanted, and only they are copied).
struct DecodeResult : DecodeNotes {
    bool ok = false;
    Image image;
    /// The container format that was read ("jpeg", "png", ...), or that was recognised but not
    /// readable.
    std::string format;
    /// A sentence for the user when ok is false.
    std::string error;
    /// The photo's full size, upright; image is smaller when DecodeOptions::max_pixels asked
    /// for a working copy.
    int full_width = 0;
    int full_height = 0;
    /// The DCT scale a JPEG working copy was decoded at (2, 4 or 8 for 1/2, 1/4, 1/8); 1 when
    /// the file was decoded at full size.
    int scale_denom = 1;
    /// Frames in the file: more than 1 for an animated GIF, of which only the first is decoded.
    int frames = 1;
};

/// Decodes JPEG (libjpeg-turbo), PNG (libspng), BMP, GIF (first frame), TGA, PSD, HDR, PIC or PNM
/// (stb_image) bytes into RGBA8, upright (EXIF orientation applied) and in sRGB (an embedded ICC
/// profile converted), so nothing downstream has to know about either. Every build gives the same
/// pixels for the same file. Never throws on bad input: a failure comes back with a readable
/// message.
DecodeResult decode_image(const uint8_t* data, size_t size, const DecodeOptions& options = {});

/// What a file's header says about the picture, read without decoding a pixel: for deciding,
/// before the decode, whether there is memory for it or it is too large.
struct ImageInfo {
    /// The header was read and the size is one kpix opens (at most kMaxPixels).
    bool ok = false;
    /// The container format ("jpeg", "png", "heic", "webp", "tiff", ...); empty when unknown.
    std::string format;
    /// The size decode_image gives the full image at: upright (a 90° EXIF orientation swaps the
    /// stored sides; a HEIF's irot is applied, as libheif reports it). Set when the header was read,
    /// also when the size is too large.
    int width = 0;
    int height = 0;
    /// The header claims more than kMaxPixels (error says so, with the size).
    bool too_large = false;
    /// A sentence for the user when ok is false.
    std::string error;

    size_t pixels() const { return static_cast<size_t>(width) * static_cast<size_t>(height); }
};

/// The size and format of every format decode_image reads (JPEG, PNG, GIF, BMP: their headers;
/// HEIF: libheif's primary image handle; WebP: WebPGetFeatures; TIFF: its first directory; the
/// rest: stb_image's info), nothing decoded. decode_image refuses a too large file from this
/// before decoding; the app checks its memory by it.
ImageInfo image_info(const uint8_t* data, size_t size);

/// The DCT scale (2, 4 or 8) decode_image gives a working copy of at most max_pixels pixels of
/// this file at, read from its header without decoding; 1 when the copy needs the full-size
/// decode (not a JPEG, or less than twice the copy's size each way): the app shows a first
/// result from such a copy only when it costs far less than the full decode.
int working_copy_scale(const uint8_t* data, size_t size, size_t max_pixels);


/// Reads a whole file; false (and a message) on failure.
bool read_file(const std::string& path, std::vector<uint8_t>& bytes, std::string& error);

/// Writes bytes to a file; false (and a message) on failure.
bool write_file(const std::string& path, const std::vector<uint8_t>& bytes, std::string& error);

} // namespace core
