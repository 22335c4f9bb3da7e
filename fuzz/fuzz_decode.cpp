// libFuzzer harness: arbitrary bytes through the header reader (image_info, which must agree with
// the decode) and the image loader (libjpeg-turbo, libspng, stb_image, libheif, libwebp, libtiff,
// EXIF orientation, ICC conversion with lcms2; full size or a DCT-scaled working copy) and, when
// they decode, a short clustering run at a small working resolution with the labels applied at
// full size. Any broken promise of the API traps.
#include <cstddef>
#include <cstdint>

#include "core/cluster.h"
#include "core/image.h"
#include "core/thread_pool.h"
#include "core/work_resolution.h"

namespace {

void require(bool ok)
{
    if (!ok) {
        __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // The last bytes pick the parameters, so the fuzzer can reach every path, space, xy and k.
    const uint8_t a = size > 0 ? data[size - 1] : 0;
    const uint8_t b = size > 1 ? data[size - 2] : 0;
    core::DecodeOptions options;
    options.max_pixels = (b & 0x80) ? 0 : size_t{64} << (b & 15);
    const core::ImageInfo info = core::image_info(data, size);
    require(info.ok != !info.error.empty());
    require(!info.too_large || info.pixels() > core::kMaxPixels);
    const core::DecodeResult r = core::decode_image(data, size, options);
    if (!r.ok) {
        require(!r.error.empty());
        return 0;
    }
    // What the header said is what was decoded (a JPEG's segment walk may give up on junk between
    // segments that libjpeg-turbo skips: then only its size is unknown).
    require(info.ok || r.format == "jpeg");
    require(!info.ok || (info.width == r.full_width && info.height == r.full_height));
    const core::Image& img = r.image;
    require(img.width > 0 && img.height > 0 && img.pixels() <= core::kMaxPixels);
    require(img.rgba.size() == img.pixels() * 4);
    require(r.orientation >= 1 && r.orientation <= 8);
    require(options.max_pixels == 0 || img.pixels() <= options.max_pixels);
    require(r.full_width >= img.width && r.full_height >= img.height);
    require(r.scale_denom == 1 || r.scale_denom == 2 || r.scale_denom == 4 || r.scale_denom == 8);
    core::ClusterParams params;
    params.kmeans.k = 1 + a % 6;
    params.kmeans.max_iter = 4;
    params.kmeans.seed = b;
    params.space = static_cast<core::Space>((a >> 3) % 4);
    params.xy = (a & 0x80) ? 0.5f : 0.0f;
    params.work_pixels = 4096;

    static core::ThreadPool pool(1);
    // Applying the centroids to a full 40 MP image would take seconds under the sanitizers: large
    // images are clustered on their small copy only (the full-size assignment is the same code).
    const bool apply_full = img.pixels() <= (size_t{1} << 20);
    const core::Image small = apply_full ? core::Image{} : core::downscale_area(img, 4096);
    const core::Image& target = apply_full ? img : small;
    const core::ClusterResult c = core::cluster(target, params, pool, nullptr);
    require(c.width == target.width && c.height == target.height);
    if (c.k > 0) {
        require(c.k <= params.kmeans.k);
        require(c.labels.size() == target.pixels());
        for (uint16_t l : c.labels) {
            require(l < c.k);
        }
        require(c.palette.size() == static_cast<size_t>(c.k) * 3);
    }
    return 0;
}
