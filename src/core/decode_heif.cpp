// HEIF through libheif (Debian's library natively: HEVC through libde265, AV1 through dav1d or
// aom). libheif composes a grid of tiles (how iPhones store photos) into one image and applies
// the irot/imir properties; the colour profile comes as ICC bytes, or as nclx primaries, from
// which a matching ICC profile is made so decode_image converts it like any other.
#include "decode_codec.h"

#include <memory>

#include <lcms2.h>
#include <libheif/heif.h>

namespace core {
namespace {

/// Largest width or height libheif may allocate for: the pixel limit is checked before.
constexpr int kMaxSide = 1 << 16;

using Context = std::unique_ptr<heif_context, void (*)(heif_context*)>;
using Handle = std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)>;
using HeifImage = std::unique_ptr<heif_image, void (*)(const heif_image*)>;

std::string damaged(const std::string& format, const heif_error& e)
{
    // libheif's messages may end in a line break: trimmed so the sentence closes on its text.
    std::string details = e.message ? e.message : "";
    details.erase(details.find_last_not_of(" \n\r\t") + 1);
    return "The " + format + " file is damaged or unsupported (" + (details.empty() ? "no details" : details) + ").";
}

/// An RGB ICC profile with the nclx box's primaries and white point and the sRGB tone curve
/// (what phones write with P3 or BT.2020 primaries), described as description; empty when the
/// primaries are sRGB's own or unspecified, or the transfer is not sRGB-like (HDR is not mapped).
std::vector<uint8_t> nclx_profile(const heif_color_profile_nclx& n, std::string& note)
{
    if (n.color_primaries == heif_color_primaries_ITU_R_BT_709_5 ||
        n.color_primaries == heif_color_primaries_unspecified) {
        return {};
    }
    const auto tc = n.transfer_characteristics;
    if (tc != heif_transfer_characteristic_IEC_61966_2_1 && tc != heif_transfer_characteristic_ITU_R_BT_709_5 &&
        tc != heif_transfer_characteristic_ITU_R_BT_601_6 && tc != heif_transfer_characteristic_unspecified) {
        note = "its colour transfer (nclx " + std::to_string(static_cast<int>(tc)) +
            ", HDR or other) is not converted: colours may look off";
        return {};
    }
    const cmsCIExyY white{n.color_primary_white_x, n.color_primary_white_y, 1.0};
    const cmsCIExyYTRIPLE primaries{{n.color_primary_red_x, n.color_primary_red_y, 1.0},
                                     {n.color_primary_green_x, n.color_primary_green_y, 1.0},
                                     {n.color_primary_blue_x, n.color_primary_blue_y, 1.0}};
    const cmsFloat64Number srgb[5] = {2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045};
    cmsToneCurve* curve = cmsBuildParametricToneCurve(nullptr, 4, srgb);
    cmsToneCurve* curves[3] = {curve, curve, curve};
    cmsHPROFILE profile = curve ? cmsCreateRGBProfile(&white, &primaries, curves) : nullptr;
    cmsFreeToneCurve(curve);
    std::vector<uint8_t> bytes;
    if (profile == nullptr) {
        return bytes;
    }
    const std::string description = n.color_primaries == heif_color_primaries_SMPTE_EG_432_1 ? "Display P3 (nclx)" :
        n.color_primaries == heif_color_primaries_ITU_R_BT_2020_2_and_2100_0 ? "BT.2020 (nclx)" :
        "nclx primaries " + std::to_string(static_cast<int>(n.color_primaries));
    cmsMLU* mlu = cmsMLUalloc(nullptr, 1);
    cmsMLUsetASCII(mlu, "en", "US", description.c_str());
    cmsWriteTag(profile, cmsSigProfileDescriptionTag, mlu);
    cmsMLUfree(mlu);
    cmsUInt32Number size = 0;
    if (cmsSaveProfileToMem(profile, nullptr, &size) && size > 0) {
        bytes.resize(size);
        if (!cmsSaveProfileToMem(profile, bytes.data(), &size)) {
            bytes.clear();
        }
    }
    cmsCloseProfile(profile);
    return bytes;
}

/// The ICC profile of the primary image, or one made from its nclx colours: from its colr box,
/// else from the coded stream (libheif reports those on the decoded image only).
std::vector<uint8_t> colour_profile(const heif_image_handle* h, const heif_image* img, std::string& note)
{
    std::vector<uint8_t> icc(heif_image_handle_get_raw_color_profile_size(h));
    if (!icc.empty() && heif_image_handle_get_raw_color_profile(h, icc.data()).code == heif_error_Ok) {
        return icc;
    }
    // NOTE: libheif 1.15 hands out the nclx struct even when it then reports an error (primaries
    // it has no values for): found by the fuzzer as a 52-byte leak. Free it on every path.
    auto got = [](heif_error e, heif_color_profile_nclx*& n) {
        if (e.code != heif_error_Ok && n != nullptr) {
            heif_nclx_color_profile_free(n);
            n = nullptr;
        }
        return n != nullptr;
    };
    heif_color_profile_nclx* nclx = nullptr;
    if (!got(heif_image_handle_get_nclx_color_profile(h, &nclx), nclx) &&
        !got(heif_image_get_nclx_color_profile(img, &nclx), nclx)) {
        return {};
    }
    std::vector<uint8_t> made = nclx_profile(*nclx, note);
    heif_nclx_color_profile_free(nclx);
    return made;
}

bool copy_pixels(const heif_image* img, bool alpha, Image& out)
{
    int stride = 0;
    const uint8_t* p = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
    const int channels = alpha ? 4 : 3;
    if (p == nullptr || heif_image_get_width(img, heif_channel_interleaved) != out.width ||
        heif_image_get_height(img, heif_channel_interleaved) != out.height || stride < out.width * channels) {
        return false;
    }
    out.rgba.resize(out.pixels() * 4);
    uint8_t* o = out.rgba.data();
    for (int y = 0; y < out.height; ++y) {
        const uint8_t* row = p + static_cast<size_t>(y) * static_cast<size_t>(stride);
        for (int x = 0; x < out.width; ++x, o += 4, row += channels) {
            o[0] = row[0];
            o[1] = row[1];
            o[2] = row[2];
            o[3] = alpha ? row[3] : 255;
        }
    }
    return true;
}

/// The file's boxes parsed and its primary image's handle taken (nothing decoded); false with a
/// sentence in error when the file is damaged or not HEIF.
bool open_primary(const uint8_t* data, size_t size, const std::string& format, Context& ctx, Handle& handle,
                  std::string& error)
{
    heif_context_set_maximum_image_size_limit(ctx.get(), kMaxSide);
    heif_error e = heif_context_read_from_memory_without_copy(ctx.get(), data, size, nullptr);
    heif_image_handle* raw_handle = nullptr;
    if (e.code == heif_error_Ok) {
        e = heif_context_get_primary_image_handle(ctx.get(), &raw_handle);
    }
    handle.reset(raw_handle);
    if (e.code != heif_error_Ok) {
        error = damaged(format, e);
        return false;
    }
    return true;
}

} // namespace

bool heif_info(const uint8_t* data, size_t size, const std::string& format, CodecInfo& out)
{
    Context ctx(heif_context_alloc(), heif_context_free);
    Handle handle(nullptr, heif_image_handle_release);
    if (!open_primary(data, size, format, ctx, handle, out.error)) {
        return false;
    }
    // The handle's size is the displayed one (irot applied), as decode_heif gives the pixels.
    out.width = heif_image_handle_get_width(handle.get());
    out.height = heif_image_handle_get_height(handle.get());
    out.orientation = 0;
    return true;
}

bool decode_heif(const uint8_t* data, size_t size, const std::string& format, size_t max_pixels, CodecDecode& out)
{
    const bool av1 = format == "avif";
    if (!heif_have_decoder_for_format(av1 ? heif_compression_AV1 : heif_compression_HEVC)) {
        out.error = "This build of kpix has no " + std::string(av1 ? "AV1" : "HEVC") + " decoder for " + format +
            " files.";
        return false;
    }
    Context ctx(heif_context_alloc(), heif_context_free);
    Handle handle(nullptr, heif_image_handle_release);
    if (!open_primary(data, size, format, ctx, handle, out.error)) {
        return false;
    }
    const int w = heif_image_handle_get_width(handle.get());
    const int h = heif_image_handle_get_height(handle.get());
    if (w <= 0 || h <= 0 || static_cast<uint64_t>(w) * static_cast<uint64_t>(h) > max_pixels) {
        out.error = "The " + format + " file's size is out of range.";
        return false;
    }
    const bool alpha = heif_image_handle_has_alpha_channel(handle.get()) != 0;
    std::unique_ptr<heif_decoding_options, void (*)(heif_decoding_options*)> options(heif_decoding_options_alloc(),
                                                                                      heif_decoding_options_free);
    options->convert_hdr_to_8bit = 1;
    heif_image* raw_img = nullptr;
    const heif_error e = heif_decode_image(handle.get(), &raw_img, heif_colorspace_RGB,
                                           alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, options.get());
    HeifImage img(raw_img, heif_image_release);
    if (e.code != heif_error_Ok) {
        out.error = damaged(format, e);
        return false;
    }
    out.image.width = w;
    out.image.height = h;
    if (!copy_pixels(img.get(), alpha, out.image)) {
        out.error = "The " + format + " file decoded to an unexpected layout.";
        out.image = Image{};
        return false;
    }
    out.icc = colour_profile(handle.get(), img.get(), out.note);
    // libheif has applied irot/imir. HEIF's EXIF orientation must then be ignored (the HEIF
    // specification says the transformative properties rule; iPhones write both, agreeing).
    const int ispe_w = heif_image_handle_get_ispe_width(handle.get());
    const int ispe_h = heif_image_handle_get_ispe_height(handle.get());
    if (w != h && ispe_w == h && ispe_h == w) {
        out.turned = "turned a quarter as the file's irot says";
    }
    return true;
}

} // namespace core
