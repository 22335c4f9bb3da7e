// The PNG encoder every PNG kpix writes goes through (the CLI's files, the app's exports and the
// page's downloads): truecolour, indexed with a palette, and 8/16-bit grey.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace core {

/// CRC-32 as PNG and zlib define it (polynomial 0xEDB88320), continuing from crc (0 to start).
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

/// An 8-bit PNG of width * height pixels with channels 1 (grey), 2 (grey + alpha), 3 (RGB) or
/// 4 (RGBA), rows top to bottom without padding; each row takes the filter with the least sum of
/// absolute differences.
std::vector<uint8_t> encode_png(const uint8_t* pixels, int width, int height, int channels);

/// An indexed PNG (colour type 3) with a PLTE chunk, and a tRNS chunk when some alpha is not 255.
/// indices: width * height, each < colours; palette: colours * 3 (sRGB); alpha: colours or nullptr
/// (all opaque); colours: 1..256. Rows are unfiltered and packed at the smallest bit depth that
/// holds the indices (1, 2, 4 or 8); entries that are not opaque move to the front of the palette
/// (the pixels keep their colours) so that tRNS is as short as it can be.
std::vector<uint8_t> encode_png_indexed(const uint8_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours);

/// The same for 16-bit indices (a label map as it is), each still < colours.
std::vector<uint8_t> encode_png_indexed(const uint16_t* indices, int width, int height,
                                        const uint8_t* palette, const uint8_t* alpha, int colours);

/// A greyscale PNG (colour type 0) of width * height values, bit_depth 8 (values <= 255) or 16.
std::vector<uint8_t> encode_png_grey(const uint16_t* values, int width, int height, int bit_depth);

} // namespace core
