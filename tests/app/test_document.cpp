// The app's document without a window: open a photo, run, compare, apply a link, click seeds,
// as the frame would drive it, with the runner's real background thread.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>

#include "app/announce.h"
#include "app/document.h"
#include "app/hook_json.h"
#include "core/image.h"
#include "core/thread_pool.h"

namespace {

std::vector<uint8_t> sample_bytes(const char* file)
{
    std::vector<uint8_t> bytes;
    std::string error;
    if (!core::read_file(std::string(KPIX_SAMPLES_DIR) + "/" + file, bytes, error)) {
        FAIL("sample photo: " << error << " (run scripts/setup.sh)");
    }
    return bytes;
}

/// Takes the runner's outputs as the frame does, until `done` holds (false after 60 s).
bool wait_until(app::Document& doc, const std::function<bool()>& done)
{
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
        app::collect(doc);
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

bool settled(app::Document& doc)
{
    return wait_until(doc, [&] { return doc.status == app::Status::done || doc.status == app::Status::error; });
}

/// The coffee sample, opened as the page opens it, and clustered.
void open_coffee(app::Document& doc)
{
    app::open_bytes(doc, sample_bytes("coffee.png"), "coffee.png", "coffee");
    REQUIRE(doc.status == app::Status::decoding);
    REQUIRE(settled(doc));
    REQUIRE(doc.status == app::Status::done);
}

} // namespace

TEST_CASE("a sample photo's bytes are decoded and clustered with the document's parameters", "[document]")
{
    app::Document doc;
    doc.params.kmeans.k = 6;
    open_coffee(doc);
    REQUIRE(doc.image);
    CHECK(doc.image->width == 600);
    CHECK(doc.image->height == 400);
    CHECK(doc.sample == "coffee");
    CHECK(doc.message.empty());
    REQUIRE(doc.result);
    CHECK(doc.result->k == 6);
    CHECK(doc.result->palette.size() == 6 * 3);
    CHECK(app::current_link(doc).find("sample=coffee") != std::string::npos);
    CHECK(app::current_link(doc).find("k=6") != std::string::npos);
    doc.link = app::current_link(doc);
    const std::string json = app::stats_json(doc, app::ViewReport{});
    CHECK(json.find("\"status\":\"done\"") != std::string::npos);
    CHECK(json.find("\"sample\":\"coffee\"") != std::string::npos);
    CHECK(json.find("\"k\":6") != std::string::npos);

    // The view section carries the layout a browser test checks coverage and overflow with.
    app::ViewReport view;
    view.window[0] = 1280;
    view.window[1] = 720;
    view.images = {{8, 40, 508, 373}, {516, 40, 1016, 373}};
    view.widgets = {{"kpix", {0, 0, 1280, 720}}};
    view.cloud = false;
    const std::string laid_out = app::stats_json(doc, view);
    CHECK(laid_out.find("\"window\":[1280,720],\"images\":[[8,40,508,373],[516,40,1016,373]],")
          != std::string::npos);
    CHECK(laid_out.find("\"widgets\":[{\"name\":\"kpix\",\"rect\":[0,0,1280,720]}]") != std::string::npos);
    CHECK(laid_out.find("\"side_panel\":true,\"cloud\":false") != std::string::npos);
}

TEST_CASE("a link applied to the document sets its parameters and clusters again", "[document]")
{
    app::Document doc;
    open_coffee(doc);
    const auto first = doc.result;

    // The sample it names is the one shown: nothing to fetch, a re-run with the link's values.
    CHECK(app::apply_link(doc, "#sample=coffee&k=3&seed=7&space=lab&n_init=2&work_pixels=100000", true) == nullptr);
    CHECK(doc.params.kmeans.k == 3);
    CHECK(doc.params.work_pixels == 100000);
    CHECK(doc.params.kmeans.seed == 7);
    CHECK(doc.params.space == core::Space::lab);
    CHECK(doc.params.kmeans.n_init == 2);
    CHECK(doc.link_notes.empty());
    CHECK(doc.status == app::Status::running);
    REQUIRE(settled(doc));
    REQUIRE(doc.result != first);
    CHECK(doc.result->k == 3);
    CHECK(doc.result_params.kmeans.seed == 7);
    CHECK(doc.result_params.space == core::Space::lab);
    CHECK(doc.result_params.work_pixels == 100000);

    SECTION("a link naming another sample asks for it, and shows it as coming")
    {
        const core::Sample* wanted = app::apply_link(doc, "sample=chelsea&k=4", true);
        REQUIRE(wanted != nullptr);
        CHECK(std::string(wanted->file) == "chelsea.png");
        CHECK(doc.status == app::Status::decoding);
        CHECK(app::current_link(doc).find("sample=chelsea") != std::string::npos);
    }
    SECTION("a bad value keeps its default and says so")
    {
        app::apply_link(doc, "k=-5&seed=2", false);
        CHECK(doc.params.kmeans.k == core::ClusterParams().kmeans.k);
        CHECK(doc.params.kmeans.seed == 2);
        REQUIRE(doc.link_notes.size() == 1);
        CHECK(doc.link_notes[0].find("k") != std::string::npos);
    }
}

TEST_CASE("a file that is not an image leaves a message and the previous photo usable", "[document]")
{
    app::Document doc;
    open_coffee(doc);
    const auto photo = doc.image;
    const std::string text = "this is a text file, not a photo";
    app::open_bytes(doc, std::vector<uint8_t>(text.begin(), text.end()), "notes.png");
    REQUIRE(settled(doc));
    CHECK(doc.status == app::Status::error);
    CHECK_FALSE(doc.message.empty());
    CHECK(app::stats_json(doc, app::ViewReport{}).find("\"status\":\"error\"") != std::string::npos);
    // The photo shown before is still the document's, and runs again.
    CHECK(doc.image == photo);
    CHECK(doc.sample == "coffee");
    REQUIRE(doc.result);
    app::set_k(doc, 4);
    CHECK(doc.status == app::Status::running);
    CHECK(doc.message.empty());
    REQUIRE(settled(doc));
    CHECK(doc.status == app::Status::done);
    CHECK(doc.result->k == 4);
}

TEST_CASE("a photo whose header claims 60000 x 60000 is refused with its size before decoding, in every format",
          "[document]")
{
    // tests/fixtures/huge (scripts/make_huge_header_fixtures.py): real fixtures with only their
    // size fields changed. The runner reads the size (core::image_info) before it decodes or
    // checks its memory: the message gives the size, not a decoder's "damaged".
    app::Document doc;
    open_coffee(doc);
    for (const char* name : {"huge.jpg", "huge.png", "huge.gif", "huge.bmp", "huge.heic", "huge.avif", "huge.webp",
                             "huge.tif"}) {
        INFO(name);
        std::vector<uint8_t> bytes;
        std::string error;
        REQUIRE(core::read_file(std::string(KPIX_SOURCE_DIR) + "/tests/fixtures/huge/" + name, bytes, error));
        app::open_bytes(doc, std::move(bytes), name);
        REQUIRE(settled(doc));
        CHECK(doc.status == app::Status::error);
        CHECK(doc.message ==
              std::string(name) + ": The image is 60000 x 60000 pixels (3600.0 MP); kpix handles up to 40 MP.");
    }
    CHECK(doc.sample == "coffee");
}

TEST_CASE("compare mode clusters the other of RGB and RGB+XY with the same k and seed", "[document]")
{
    app::Document doc;
    doc.params.kmeans.k = 5;
    doc.params.kmeans.seed = 3;
    doc.params.xy = 0.0f;
    open_coffee(doc);
    app::toggle_compare(doc);
    REQUIRE(wait_until(doc, [&] { return doc.compare_result != nullptr; }));
    CHECK(doc.result_params.xy == 0.0f);
    CHECK(doc.compare_params.xy > 0.0f);
    CHECK(doc.compare_params.kmeans.k == 5);
    CHECK(doc.compare_params.kmeans.seed == 3);
    CHECK(doc.compare_params.space == doc.result_params.space);
    CHECK(doc.compare_result->k == 5);
    CHECK(doc.compare_result->d == doc.result->d + 2);
    const std::string json = app::stats_json(doc, app::ViewReport{});
    CHECK(json.find("\"compare\":{\"rgb\":{\"inertia\":") != std::string::npos);

    // A new run drops the old comparison and, once done, makes a new one.
    app::set_k(doc, 7);
    CHECK(doc.compare_result == nullptr);
    REQUIRE(wait_until(doc, [&] { return doc.compare_result != nullptr; }));
    CHECK(doc.compare_params.kmeans.k == 7);
}

TEST_CASE("clicked seeds become the starting centroids: k is their number", "[document]")
{
    app::Document doc;
    open_coffee(doc);
    CHECK_FALSE(app::add_seed(doc, 10, 10, false)); // a plain click with k-means++ is not a seed
    CHECK(app::add_seed(doc, 10, 10, true));         // shift+click switches to "click seeds"
    CHECK(doc.params.kmeans.init == core::Init::given);
    CHECK(app::add_seed(doc, 300, 200, false));
    CHECK(app::add_seed(doc, 5000, -4, false));      // clamped to the image
    CHECK(doc.params.seeds.back().x == 599);
    CHECK(doc.params.seeds.back().y == 0);
    app::run(doc);
    REQUIRE(settled(doc));
    REQUIRE(doc.result);
    CHECK(doc.result->k == 3);
    CHECK(doc.params.kmeans.k == 3);
    CHECK(doc.result_params.kmeans.init == core::Init::given);

    // The link carries them: opened elsewhere, it starts from the same pixels, so the same result.
    const std::string link = app::current_link(doc);
    CHECK(link.find("seeds=@10:10,@300:200,@599:0") != std::string::npos);
    app::Document other;
    const core::Sample* wanted = app::apply_link(other, link, true);
    REQUIRE(wanted != nullptr);
    app::open_bytes(other, sample_bytes(wanted->file), wanted->file, wanted->name);
    REQUIRE(wait_until(other, [&] { return other.status == app::Status::done && other.result &&
                                           other.result_params.kmeans.init == core::Init::given; }));
    CHECK(other.message.empty());
    CHECK(other.params.seeds.size() == 3);
    CHECK(other.result->k == 3);
    CHECK(other.result->palette == doc.result->palette);
    CHECK(other.result->inertia == doc.result->inertia);

    // A photo of the user's own has no seeds yet: it opens with k-means++.
    app::open_bytes(other, sample_bytes("chelsea.png"), "cat.png");
    REQUIRE(settled(other));
    CHECK(other.params.seeds.empty());
    CHECK(other.result_params.kmeans.init == core::Init::kmeanspp);
    CHECK(app::current_link(other).find("init=kmeans") != std::string::npos);
}

TEST_CASE("a large JPEG shows a first result from a DCT-scaled working copy, then the full size as without it", "[document]")
{
    // rocket.jpg is 640 x 427: at a working size of 10000 pixels it is decoded at 1/4 scale.
    const std::vector<uint8_t> bytes = sample_bytes("rocket.jpg");
    REQUIRE(core::working_copy_scale(bytes.data(), bytes.size(), 10000) == 4);
    app::Document doc;
    doc.params.kmeans.k = 5;
    doc.params.work_pixels = 10000;
    app::open_bytes(doc, bytes, "rocket.jpg");

    // The outputs in order: the working copy, its result, then the full image with its result.
    std::vector<app::Output> outputs;
    bool checked_first = false;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (doc.status != app::Status::done && doc.status != app::Status::error &&
           std::chrono::steady_clock::now() < give_up) {
        for (app::Taken& t : app::collect(doc)) {
            outputs.push_back(std::move(t.output));
        }
        if (!checked_first && app::first_result_shown(doc) && doc.result) {
            // Polled without a pause, so the first result is nearly always seen on its own here.
            checked_first = true;
            CHECK(doc.status == app::Status::running);
            CHECK(doc.image->pixels() <= 10000);
            CHECK(doc.full_width == 640);
            CHECK(doc.full_height == 427);
            const std::string json = app::stats_json(doc, app::ViewReport{});
            CHECK(json.find("\"stage\":\"first\"") != std::string::npos);
            CHECK(json.find("\"full_width\":640,\"full_height\":427") != std::string::npos);
            CHECK(json.find("\"width\":" + std::to_string(doc.image->width) + ",") != std::string::npos);
            CHECK_FALSE(app::add_seed(doc, 10, 10, true)); // seeds wait for the full-size photo
        }
    }
    REQUIRE(doc.status == app::Status::done);
    INFO("the first result was seen on its own: " << checked_first);
    REQUIRE(outputs.size() == 3);
    CHECK(outputs[0].kind == app::Output::Kind::decoded);
    CHECK(outputs[0].first);
    CHECK(outputs[0].image->pixels() <= 10000);
    CHECK(outputs[1].kind == app::Output::Kind::clustered);
    CHECK(outputs[1].first);
    CHECK(outputs[1].result->labels.size() == outputs[0].image->pixels());
    CHECK(outputs[2].kind == app::Output::Kind::clustered);
    CHECK_FALSE(outputs[2].first);
    CHECK(outputs[2].original.width == 640);

    CHECK_FALSE(app::first_result_shown(doc));
    REQUIRE(doc.image);
    CHECK(doc.image->width == 640);
    CHECK(doc.image->height == 427);
    CHECK(app::stats_json(doc, app::ViewReport{}).find("\"stage\":\"full\"") != std::string::npos);
    // The final result is what clustering the full decode gives (the CLI's, and the app's
    // before the first result existed): same palette and inertia, bit for bit.
    core::ThreadPool pool(2);
    const core::DecodeResult full = core::decode_image(bytes.data(), bytes.size());
    REQUIRE(full.ok);
    const core::ClusterResult reference = core::cluster(full.image, doc.result_params, pool, nullptr);
    CHECK(doc.result->palette == reference.palette);
    CHECK(doc.result->inertia == reference.inertia);
    CHECK(doc.result->labels == reference.labels);
}

TEST_CASE("a run while the first result is shown clusters the working copy again, then reaches the full size", "[document]")
{
    const std::vector<uint8_t> bytes = sample_bytes("rocket.jpg");
    app::Document doc;
    doc.params.kmeans.k = 5;
    doc.params.work_pixels = 10000;
    app::open_bytes(doc, bytes, "rocket.jpg");
    REQUIRE(wait_until(doc, [&] { return doc.result != nullptr; }));
    if (app::first_result_shown(doc)) {
        // Cancelled there: the first result stays, and says so.
        app::cancel(doc);
        CHECK(doc.status == app::Status::done);
        CHECK(app::stats_json(doc, app::ViewReport{}).find("\"stage\":\"first\"") != std::string::npos);
    }
    app::set_k(doc, 3);
    REQUIRE(settled(doc));
    REQUIRE(doc.status == app::Status::done);
    CHECK_FALSE(app::first_result_shown(doc));
    CHECK(doc.image->width == 640);
    CHECK(doc.result->k == 3);
    CHECK(doc.result->labels.size() == size_t{640} * 427);
}

TEST_CASE("a screen reader hears the result, the round stepped to and a refused file, once each", "[document]")
{
    app::Document doc;
    doc.params.kmeans.k = 5;
    open_coffee(doc);
    const core::ClusterResult& r = *doc.result;
    app::ReplayShown replay;
    replay.last_position = 2 * r.iterations;
    replay.position = replay.last_position;
    app::Announcer announcer;

    REQUIRE(announcer.update(doc, replay));
    const app::Spoken first = announcer.spoken();
    CHECK_FALSE(first.error);
    CHECK(first.live.find("coffee: 5 colours after " + std::to_string(r.iterations) + " rounds, inertia ") == 0);
    // Every colour with its share, largest first, in the description; the line has them too.
    char largest[32];
    std::snprintf(largest, sizeof largest, "#%02x%02x%02x %.0f %%", r.palette[0], r.palette[1], r.palette[2],
                  r.shares[0] * 100.0);
    CHECK(first.live.find(std::string("Largest shares: ") + largest) != std::string::npos);
    CHECK(first.description.find(std::string("Palette, largest share first: ") + largest) != std::string::npos);
    size_t colours = 0;
    for (size_t at = first.description.find(" %"); at != std::string::npos; at = first.description.find(" %", at + 1)) {
        ++colours;
    }
    CHECK(colours == 5);
    CHECK(first.description.find("600 x 400 pixels") != std::string::npos);
    CHECK(first.description.find("Showing round " + std::to_string(r.iterations) + " of " + std::to_string(r.iterations) +
                                 ", final result.") != std::string::npos);

    // Nothing changed: nothing to say (the platform asks every frame).
    CHECK_FALSE(announcer.update(doc, replay));

    // Stepping back to round 1 says the round, and the description follows.
    replay.position = 0;
    REQUIRE(announcer.update(doc, replay));
    CHECK(announcer.spoken().live == "Round 1 of " + std::to_string(r.iterations) + ", assign step.");
    CHECK(announcer.spoken().description.find("Showing round 1 of") != std::string::npos);

    // While the rounds play, the changing round is not said.
    replay.playing = true;
    announcer.update(doc, replay);
    replay.position = 3;
    CHECK_FALSE(announcer.update(doc, replay));

    // A refused file: its message, as an error.
    replay.playing = false;
    const std::string text = "this is a text file, not a photo";
    app::open_bytes(doc, std::vector<uint8_t>(text.begin(), text.end()), "notes.png");
    REQUIRE(settled(doc));
    REQUIRE(announcer.update(doc, replay));
    CHECK(announcer.spoken().error);
    CHECK(announcer.spoken().live == doc.message);
    CHECK_FALSE(announcer.update(doc, replay));
}
