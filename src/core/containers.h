// Walking the metadata of JPEG and PNG files without decoding them: each marker segment or chunk is
// handed over whole and bounds-checked, so the EXIF and ICC readers never see bytes outside it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace core {

/// A view of bytes inside a file: size bytes from data.
struct ByteSpan {
    const uint8_t* data = nullptr;
    size_t size = 0;
};

/// Calls fn(marker, payload) for each marker segment of a JPEG before its scan data (SOS), payload
/// without the two length bytes. Stops when fn returns false, at a segment longer than the file,
/// or at anything that is not a marker. Not a JPEG: no calls.
void for_each_jpeg_segment(const uint8_t* data, size_t size,
                           const std::function<bool(uint8_t marker, ByteSpan payload)>& fn);

/// Calls fn(type, payload) for each chunk of a PNG (type: the four ASCII letters), up to IEND.
/// Stops when fn returns false or at a chunk longer than the file. CRCs are not checked. Not a
/// PNG: no calls.
void for_each_png_chunk(const uint8_t* data, size_t size,
                        const std::function<bool(const char* type, ByteSpan payload)>& fn);

/// Frames (image descriptors) of a GIF, counted by walking its blocks: the header, the colour
/// tables, extensions and image data as sub-block chains, each length checked against the file.
/// Frames whose data is cut short count too; a damaged or truncated block ends the count there.
/// Not a GIF: 0.
int gif_frame_count(const uint8_t* data, size_t size);

} // namespace core
