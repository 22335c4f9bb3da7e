// EXIF Orientation: which way up a phone or camera meant its picture, read with our own small,
// bounds-checked TIFF reader, and the pixel transform that makes the decoded image upright.
#pragma once

#include <cstddef>
#include <cstdint>

#include "image.h"

namespace core {

/// The Orientation tag (0x0112) of IFD0 in a TIFF structure as EXIF stores it ("II*\0" or
/// "MM\0*" header, offsets relative to its start): 1..8, or 0 when absent or malformed. Only IFD0
/// is read (no link is ever followed), so loops and offsets outside the data cannot matter.
int exif_orientation(const uint8_t* tiff, size_t size);

/// Orientation of a JPEG (APP1 "Exif\0\0") or PNG (eXIf chunk) file: 1..8, or 0 when the file has
/// none or it is malformed. Other formats: 0.
int file_orientation(const uint8_t* data, size_t size);

/// Transforms the pixels so an image stored with this orientation shows upright: 2 mirror left to
/// right, 3 rotate 180°, 4 mirror top to bottom, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
/// 8 rotate 90° counter-clockwise (5..8 swap width and height). 1 or anything else: unchanged.
/// Rows are shared out over pool when one is given; the result is the same without.
void apply_orientation(Image& image, int orientation, ThreadPool* pool = nullptr);

/// What apply_orientation does, for the user ("rotated 90° clockwise"); "" for 1 and invalid values.
const char* orientation_description(int orientation);

} // namespace core
