// The decoders of the formats stb_image does not read: HEIF (HEIC and AVIF) through libheif, WebP
// through libwebp, TIFF through libtiff. Each hands back its pixels with what decode_image still
// has to apply (colour profile, orientation), so those steps stay in one place for every format.
// Each also reads its size from the header alone (image_info's per-format part). A build without
// one of the libraries compiles decode_missing.cpp's version, which says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "image.h"

namespace core {

struct CodecDecode {
    /// The pixels, RGBA8 (alpha not premultiplied), in the orientation the decoder left them.
    Image image;
    /// The embedded ICC profile (or one made from HEIF's nclx primaries); empty when none.
    std::vector<uint8_t> icc;
    /// The EXIF orientation still to apply (1..8); 0 when there is none to apply.
    int orientation = 0;
    /// A turn the decoder already made (HEIF's irot/imir), for the user; empty when none.
    std::string turned;
    /// Frames in the file (an animated WebP: only the first is decoded).
    int frames = 1;
    /// Why decoding failed, for the user.
    std::string error;
    /// Something the user should know about a picture that did decode; empty when nothing.
    std::string note;
};

/// What a codec's header says, read without decoding any pixel: the size as decode_* gives the
/// image back (HEIF: after irot, as libheif turns it) and the EXIF orientation still to apply.
struct CodecInfo {
    int width = 0;
    int height = 0;
    /// As CodecDecode::orientation: 1..8, or 0 when there is none to apply.
    int orientation = 0;
    /// Why the header could not be read, for the user.
    std::string error;
};

/// The size of a HEIF file's primary image from its handle (the boxes parsed; nothing decoded).
bool heif_info(const uint8_t* data, size_t size, const std::string& format, CodecInfo& out);

/// The canvas size of a WebP (WebPGetFeatures) and its EXIF orientation.
bool webp_info(const uint8_t* data, size_t size, CodecInfo& out);

/// The size and orientation of a TIFF's first image, from its first directory.
bool tiff_info(const uint8_t* data, size_t size, CodecInfo& out);

/// Decodes the primary image of a HEIF file (HEVC-coded HEIC or AV1-coded AVIF; a grid of tiles
/// is decoded whole) into RGBA8, turned upright by its irot/imir properties (the HEIF way; its
/// EXIF orientation is then only reported). format is "heic", "heif" or "avif", for messages.
/// False with a sentence in error for a damaged file, a codec this build lacks, or more than
/// max_pixels pixels.
bool decode_heif(const uint8_t* data, size_t size, const std::string& format, size_t max_pixels,
                 CodecDecode& out);

/// Decodes a WebP (lossy or lossless, with alpha; an animation's first frame, composed on its
/// canvas) into RGBA8, with its ICCP profile and its EXIF orientation.
bool decode_webp(const uint8_t* data, size_t size, size_t max_pixels, CodecDecode& out);

/// Decodes the first image of a TIFF (8 or 16 bits a sample, grey or RGB with or without alpha,
/// palette, and whatever else libtiff's RGBA reader takes; any compression libtiff was built
/// with: none, LZW, Deflate, PackBits, JPEG...) into RGBA8, with its ICC profile and orientation.
bool decode_tiff(const uint8_t* data, size_t size, size_t max_pixels, CodecDecode& out);

/// True when this build has the decoder for format ("heic", "heif", "avif", "webp", "tiff").
bool codec_built(const std::string& format);

} // namespace core
