// The parameter table: one rule per parameter, a link carries every valid set exactly, and
// validate accepts what the link parser gives back.
#include "core/params.h"

#include <catch2/catch.hpp>

#include "core/cluster.h"
#include "core/colour.h"
#include "core/features.h"
#include "core/link.h"

namespace {

/// Every field a user can set, compared as the engine would see it.
bool same(const core::ClusterParams& a, const core::ClusterParams& b)
{
    return a.kmeans.k == b.kmeans.k && a.kmeans.seed == b.kmeans.seed &&
        a.kmeans.init == b.kmeans.init && a.kmeans.n_init == b.kmeans.n_init &&
        a.kmeans.max_iter == b.kmeans.max_iter && a.kmeans.tol == b.kmeans.tol &&
        a.space == b.space && a.xy == b.xy && a.work_pixels == b.work_pixels && a.seeds == b.seeds;
}

/// Parameters as the CLI builds them: each (name, value) through the table, then seeds decide
/// init and k, as the CLI's --seeds does.
core::ClusterParams from_pairs(const std::vector<std::pair<std::string, std::string>>& pairs)
{
    core::ClusterParams p;
    for (const auto& [name, value] : pairs) {
        const core::ParamSpec* spec = core::find_param(name);
        REQUIRE(spec);
        INFO(name << "=" << value);
        REQUIRE(core::set_param(*spec, value, p));
    }
    if (!p.seeds.empty()) {
        p.kmeans.init = core::Init::given;
        p.kmeans.k = static_cast<int>(p.seeds.size());
    }
    return p;
}

} // namespace

TEST_CASE("every parameter of the stats JSON is in the table, once", "[params]")
{
    std::vector<std::string> names;
    for (const core::ParamSpec& spec : core::param_table()) {
        names.push_back(spec.name);
    }
    CHECK(names == std::vector<std::string>{"k", "space", "xy", "seed", "init", "n_init", "max_iter",
                                            "tol", "work_pixels", "seeds"});
    // One rule each (the three owners of before disagreed on these).
    CHECK(core::find_param("k")->whole_hi == 4096);
    CHECK(core::find_param("n_init")->whole_hi == 1000);
    CHECK(core::find_param("max_iter")->whole_hi == 100000);
    CHECK(core::find_param("seed")->whole_hi == UINT64_MAX);
    CHECK(core::param_default(*core::find_param("work_pixels")) == "2000000");
    CHECK(core::param_default(*core::find_param("k")) == "8");
    CHECK(core::param_default(*core::find_param("init")) == "kmeans++");
}

TEST_CASE("a value is taken exactly when it is in the table's range", "[params]")
{
    core::ClusterParams p;
    const core::ParamSpec& seed = *core::find_param("seed");
    CHECK(core::set_param(seed, "9007199254740993", p));
    CHECK(p.kmeans.seed == 9007199254740993ULL);
    CHECK(core::set_param(seed, "18446744073709551615", p));
    CHECK(p.kmeans.seed == UINT64_MAX);
    for (const char* bad : {"18446744073709551616", "-1", "+1", " 1", "1 ", "0x10", "", "1e3"}) {
        INFO(bad);
        CHECK_FALSE(core::set_param(seed, bad, p));
    }
    CHECK(p.kmeans.seed == UINT64_MAX);
    const core::ParamSpec& n_init = *core::find_param("n_init");
    CHECK(core::set_param(n_init, "500", p));
    CHECK_FALSE(core::set_param(n_init, "1001", p));
    CHECK_FALSE(core::set_param(n_init, "0", p));
    CHECK(p.kmeans.n_init == 500);
    const core::ParamSpec& xy = *core::find_param("xy");
    for (const char* bad : {"nan", "inf", "-1", "1001", "0x1p2", " 1", ""}) {
        INFO(bad);
        CHECK_FALSE(core::set_param(xy, bad, p));
    }
    CHECK(core::set_param(*core::find_param("space"), "lab", p));
    CHECK(p.space == core::Space::lab);
    CHECK_FALSE(core::set_param(*core::find_param("space"), "hsv", p));
}

TEST_CASE("seeds are colours, positions or both", "[params]")
{
    std::vector<core::Seed> s;
    REQUIRE(core::parse_seeds("#ff0000, 0f0 ,@10:20,#0000ff@3:4", s));
    REQUIRE(s.size() == 4);
    CHECK((s[0].has_colour && !s[0].has_position && s[0].rgb[0] == 255 && s[0].rgb[1] == 0));
    CHECK((s[1].has_colour && s[1].rgb[1] == 255));
    CHECK((!s[2].has_colour && s[2].has_position && s[2].x == 10 && s[2].y == 20));
    CHECK((s[3].has_colour && s[3].has_position && s[3].rgb[2] == 255 && s[3].x == 3));
    CHECK(core::format_seeds(s) == "#ff0000,#00ff00,@10:20,#0000ff@3:4");
    for (const char* bad : {"", "zz", "#ff00", "@1", "@1:", "@-1:2", "#ff0000@1:2:3", "#ff0000,,#00ff00",
                            "@65536:0"}) {
        INFO(bad);
        CHECK_FALSE(core::parse_seeds(bad, s));
    }
}

TEST_CASE("validate states how parameters must agree", "[params]")
{
    core::ClusterParams p;
    CHECK(core::validate(p).empty());
    p.kmeans.n_init = 1001;
    CHECK_THAT(core::validate(p), Catch::Contains("n_init"));
    p = core::ClusterParams{};
    p.kmeans.k = -3;
    CHECK_THAT(core::validate(p), Catch::Contains("k is"));
    p = from_pairs({{"seeds", "#ff0000,#00ff00"}});
    CHECK(core::validate(p).empty());
    p.kmeans.k = 3;
    CHECK_THAT(core::validate(p), Catch::Contains("2 seeds"));
    p = from_pairs({{"seeds", "#ff0000,@1:2"}, {"xy", "1"}});
    CHECK_THAT(core::validate(p), Catch::Contains("position"));
    p = core::ClusterParams{};
    p.kmeans.init = core::Init::given;
    CHECK_THAT(core::validate(p), Catch::Contains("seeds"));
}

TEST_CASE("any valid parameter set survives a link exactly, and validate accepts it", "[params][link]")
{
    const std::vector<std::vector<std::pair<std::string, std::string>>> sets = {
        {},
        {{"seed", "9007199254740993"}},
        {{"seed", "18446744073709551615"}, {"n_init", "500"}},
        {{"k", "4096"}, {"max_iter", "100000"}, {"tol", "0"}},
        {{"space", "lab"}, {"xy", "0.3"}, {"init", "random"}},
        {{"space", "oklab"}, {"xy", "3.14159274"}, {"tol", "1e-07"}, {"work_pixels", "0"}},
        {{"space", "linear"}, {"xy", "2.5098039"}, {"work_pixels", "40000000"}},
        {{"k", "1"}, {"n_init", "1000"}, {"tol", "1"}, {"xy", "1000"}},
        {{"seeds", "#ff0000,#00ff00,#0000ff"}},
        {{"seeds", "@0:0,#102030@5:7,@639:426"}, {"xy", "1"}, {"space", "lab"}},
        {{"seeds", "#abc"}, {"seed", "7"}, {"work_pixels", "27000"}},
    };
    for (const auto& pairs : sets) {
        const core::ClusterParams want = from_pairs(pairs);
        REQUIRE(core::validate(want).empty());
        core::LinkState state;
        state.params = want;
        state.sample = "coffee";
        const std::string link = core::format_link(state);
        INFO(link);
        core::LinkState defaults;
        const core::ParsedLink got = core::parse_link(link, defaults);
        CHECK(got.notes.empty());
        CHECK(same(got.state.params, want));
        CHECK(got.state.sample == "coffee");
        CHECK(core::validate(got.state.params).empty());
        CHECK(core::format_link(got.state) == link);
    }
}

TEST_CASE("seed_centroids gives a position seed the very features of its pixel", "[params]")
{
    core::Image img;
    img.width = 7;
    img.height = 5;
    img.rgba.resize(img.pixels() * 4);
    for (size_t i = 0; i < img.rgba.size(); ++i) {
        img.rgba[i] = static_cast<uint8_t>(i * 37 % 251);
    }
    for (const char* space : {"rgb", "lab"}) {
        core::ClusterParams p = from_pairs({{"seeds", "@3:2,#ff8000@6:4"}, {"xy", "1.5"}, {"space", space}});
        std::string error;
        REQUIRE(core::seed_centroids(p, img, error));
        REQUIRE(p.kmeans.given_centroids.size() == 10);
        std::vector<float> f;
        const size_t i = 2 * 7 + 3;
        core::pixel_features(img, p, i, i + 1, 5, f);
        CHECK(std::vector<float>(p.kmeans.given_centroids.begin(), p.kmeans.given_centroids.begin() + 5) == f);
        const size_t j = 4 * 7 + 6;
        core::pixel_features(img, p, j, j + 1, 5, f);
        CHECK(p.kmeans.given_centroids[8] == f[3]); // the position part of the coloured seed
        CHECK(p.kmeans.given_centroids[9] == f[4]);
        // Its colour in the working space (kpix-cli's --seeds once gave rgb values in any space).
        const uint8_t orange[3] = {255, 128, 0};
        float want[3] = {0, 0, 0};
        core::srgb8_to_space(p.space, orange, want);
        CHECK(std::vector<float>(p.kmeans.given_centroids.begin() + 5, p.kmeans.given_centroids.begin() + 8) ==
              std::vector<float>(want, want + 3));
    }
    core::ClusterParams outside = from_pairs({{"seeds", "@7:0"}});
    std::string error;
    CHECK_FALSE(core::seed_centroids(outside, img, error));
    CHECK_THAT(error, Catch::Contains("outside"));
}
