// The JSON kpix writes: keys of the shared vocabulary, escaping, valid UTF-8 whatever the file
// names, numbers that read back exactly, and the sweep and grid objects.
#include "core/stats.h"

#include <cstdlib>

#include <catch2/catch.hpp>

namespace {

/// Whether s is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
bool valid_utf8(const std::string& s)
{
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int extra = 0;
        uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= s.size()) {
            return false;
        }
        for (int e = 1; e <= extra; ++e) {
            const unsigned char cc = static_cast<unsigned char>(s[i + e]);
            if ((cc & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (cc & 0x3F);
        }
        if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            return false;
        }
        i += 1 + extra;
    }
    return true;
}

core::ClusterResult small_result()
{
    core::ClusterResult result;
    result.width = 4;
    result.height = 2;
    result.rounds_width = 2;
    result.rounds_height = 1;
    result.k = 2;
    result.palette = {255, 0, 0, 0, 0, 255};
    result.shares = {0.75, 0.25};
    result.inertia = 12.5;
    result.iterations = 3;
    result.converged = true;
    return result;
}

} // namespace

TEST_CASE("json_text escapes what JSON requires", "[stats]")
{
    CHECK(core::json_text(core::Json("a\"b\\c\nd\x01")) == "\"a\\\"b\\\\c\\nd\\u0001\"");
    CHECK(core::json_text(core::Json("héllo")) == "\"héllo\"");
}

TEST_CASE("a file name that is not UTF-8 still gives valid JSON", "[stats]")
{
    // Latin-1 "café", a lone continuation byte, a truncated sequence and an overlong '/'.
    const std::string name = "caf\xE9-\x80-\xE2\x82-\xC0\xAF.png";
    REQUIRE_FALSE(valid_utf8(name));
    core::RunInfo info;
    info.source = name;
    const std::string text = core::json_text(core::stats_json(core::ClusterParams{}, small_result(), info));
    CHECK(valid_utf8(text));
    const core::Json back = core::Json::parse(text);
    const std::string source = back["source"].get<std::string>();
    // Each bad byte became U+FFFD; the good ones stayed.
    CHECK(source.rfind("caf\xEF\xBF\xBD-", 0) == 0);
    CHECK(source.find(".png") == source.size() - 4);
    CHECK(valid_utf8(source));
}

TEST_CASE("json_number reads back to the same double", "[stats]")
{
    for (double v : {0.0, 1.0, 0.1, 1e-4, 123456789.125, 3.0e22, -2.5}) {
        CHECK(std::strtod(core::json_number(v).c_str(), nullptr) == v);
    }
    CHECK(core::json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
}

TEST_CASE("json_value: integers stay integers, floats are short, non-finite is null", "[stats]")
{
    CHECK(core::json_text(core::json_value(1.0)) == "1");
    CHECK(core::json_text(core::json_value(0.3f)) == "0.3");
    CHECK(core::json_text(core::json_value(12.5)) == "12.5");
    CHECK(core::json_text(core::json_value(std::numeric_limits<double>::infinity())) == "null");
    for (double v : {0.1, 1e-4, 123456789.125, 3.0e22, -2.5, 1.0 / 3.0}) {
        CHECK(core::Json::parse(core::json_text(core::json_value(v))).get<double>() == v);
    }
}

TEST_CASE("stats_json carries the shared vocabulary and the palette", "[stats]")
{
    core::ClusterParams params;
    params.kmeans.k = 2;
    params.kmeans.seed = 42;
    core::RunInfo info;
    info.source = "x.png";
    info.threads = 2;
    info.decode.orientation = 6;
    info.decode.icc_profile = "Display P3";
    const std::string j = core::json_text(core::stats_json(params, small_result(), info));
    for (const char* key : {"\"width\":4", "\"height\":2", "\"k\":2", "\"space\":\"rgb\"",
                            "\"seed\":42", "\"iterations\":3", "\"inertia\":12.5",
                            "\"converged\":true", "\"threads\":2", "\"init\":\"kmeans++\"",
                            "\"n_init\":1", "\"xy\":0,", "\"tol\":0.0001,",
                            "\"palette\":[[255,0,0,0.75],[0,0,255,0.25]]",
                            "\"seconds_cluster\":", "\"orientation\":6",
                            "\"icc_profile\":\"Display P3\"",
                            "\"rounds_width\":2", "\"rounds_height\":1"}) {
        INFO(key);
        CHECK(j.find(key) != std::string::npos);
    }
    CHECK(j.front() == '{');
    CHECK(j.back() == '}');
    const std::string plain = core::json_text(core::stats_json(params, small_result(), core::RunInfo{}));
    CHECK(plain.find("\"orientation\":1,\"icc_profile\":\"\"") != std::string::npos);
}

TEST_CASE("sweep and grid JSON: one vocabulary, scores not asked for are null", "[stats]")
{
    core::SweepResult sweep;
    for (int k = 2; k <= 4; ++k) {
        core::SweepPoint p;
        p.k = k;
        p.k_used = k;
        p.inertia = 100.0 / k;
        p.iterations = 5;
        p.seconds = 0.25;
        p.silhouette = 0.5;
        sweep.points.push_back(p);
    }
    sweep.elbow = 3;
    sweep.silhouette = 3;
    core::ChooseKOptions options;
    options.gap = false;
    core::Image image;
    image.width = 10;
    image.height = 5;
    const core::Json j = core::Json::parse(
        core::json_text(core::sweep_json("a.png", image, core::ClusterParams{}, options, sweep, false)));
    CHECK(j["width"] == 10);
    CHECK(j["sweep"].size() == 3);
    CHECK(j["sweep"][1]["k"] == 3);
    CHECK(j["sweep"][1]["k_used"] == 3);
    CHECK(j["sweep"][1]["silhouette"] == 0.5);
    CHECK(j["sweep"][1]["gap"].is_null());
    CHECK(j["suggested"]["elbow"].is_null());
    CHECK(j["suggested"]["silhouette"] == 3);
    CHECK(j["suggested"]["gap"].is_null());
    CHECK(j["seconds_clustering"] == 0.75);

    core::KGrid grid;
    grid.tiles.resize(2);
    grid.tiles[0].k = 2;
    grid.tiles[1].k = 3;
    grid.tiles[1].thumbnail.width = 7;
    core::GridLayout layout;
    layout.columns = 2;
    layout.origins = {6, 6, 40, 6};
    const core::Json g = core::grid_json("a.png", image, core::ClusterParams{}, grid, layout, "g.png");
    CHECK(g["grid"]["file"] == "g.png");
    CHECK(g["grid"]["columns"] == 2);
    CHECK(g["grid"]["tiles"][1]["x"] == 40);
    CHECK(g["grid"]["tiles"][1]["tile_width"] == 7);
    CHECK_FALSE(core::grid_tiles_json(grid, nullptr)[0].contains("x"));
}
