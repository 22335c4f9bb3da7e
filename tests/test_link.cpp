// Links: the fragment round-trips every parameter, and bad input keeps the defaults with a note.
#include "core/link.h"

#include <catch2/catch.hpp>

namespace {

core::LinkState defaults()
{
    core::LinkState d;
    d.sample = "coffee";
    return d;
}

} // namespace

TEST_CASE("the issue's example link is read as written", "[link]")
{
    const core::ParsedLink r =
        core::parse_link("#sample=chelsea&k=3&space=rgb&xy=0&seed=1&init=kmeans%2B%2B&n_init=1", defaults());
    CHECK(r.notes.empty());
    CHECK(r.state.sample == "chelsea");
    CHECK(r.state.params.kmeans.k == 3);
    CHECK(r.state.params.kmeans.seed == 1);
    CHECK(r.state.params.kmeans.init == core::Init::kmeanspp);
    CHECK(r.state.params.xy == 0.0f);
}

TEST_CASE("format_link and parse_link round-trip every parameter", "[link]")
{
    core::LinkState s;
    s.sample = "rocket";
    s.params.kmeans.k = 1000;
    s.params.kmeans.seed = 123456789;
    s.params.kmeans.init = core::Init::random;
    s.params.kmeans.n_init = 4;
    s.params.kmeans.max_iter = 25;
    s.params.kmeans.tol = 0.001;
    s.params.xy = 0.3f;
    s.params.space = core::Space::oklab;
    s.params.work_pixels = 123456;
    const std::string f = core::format_link(s);
    CHECK(f == "sample=rocket&k=1000&space=oklab&xy=0.3&seed=123456789&init=random&n_init=4&max_iter=25"
               "&tol=0.001&work_pixels=123456");
    const core::ParsedLink r = core::parse_link(f, defaults());
    CHECK(r.notes.empty());
    CHECK(core::format_link(r.state) == f);
    CHECK(r.state.params.xy == 0.3f);
    CHECK(r.state.params.space == core::Space::oklab);
    CHECK(r.state.params.work_pixels == 123456);
    // kmeans++ is percent-encoded: a bare '+' would read as a space to URLSearchParams.
    core::LinkState pp;
    CHECK(core::format_link(pp).find("init=kmeans%2B%2B") != std::string::npos);
    CHECK(core::parse_link("init=kmeans++", defaults()).state.params.kmeans.init == core::Init::kmeanspp);
}

TEST_CASE("a user's photo is never in a link", "[link]")
{
    core::LinkState s;
    s.sample.clear();
    CHECK(core::format_link(s).find("sample") == std::string::npos);
}

TEST_CASE("bad values keep the defaults and say so", "[link]")
{
    const core::LinkState d = defaults();
    for (const char* f : {"k=-5", "k=abc", "k=0", "k=4097", "k=99999999999999999999999", "seed=",
                          "seed=-1", "seed=18446744073709551616", "xy=nan", "xy=1001", "n_init=1001",
                          "work_pixels=40000001", "seeds=zz", "seeds=@1", "init=given", "init=fast",
                          "space=hsv", "n_init=0",
                          "max_iter=1e9", "max_iter=100001", "tol=2", "sample=../../x", "sample=", "k=%ZZ"}) {
        INFO(f);
        const core::ParsedLink r = core::parse_link(f, d);
        CHECK(r.notes.size() == 1);
        CHECK(core::format_link(r.state) == core::format_link(d));
    }
}

TEST_CASE("unknown keys and empty pairs are ignored quietly", "[link]")
{
    const core::ParsedLink r = core::parse_link("#&&foo=bar&k=5&=&zzz", defaults());
    CHECK(r.notes.empty());
    CHECK(r.state.params.kmeans.k == 5);
}

TEST_CASE("the light theme travels at the end of the link; dark, the default, is not written", "[link]")
{
    core::LinkState s = defaults();
    CHECK(core::format_link(s).find("theme") == std::string::npos);
    s.light = true;
    const std::string f = core::format_link(s);
    CHECK(f.size() > 12);
    CHECK(f.substr(f.size() - 12) == "&theme=light");
    const core::ParsedLink r = core::parse_link(f, defaults());
    CHECK(r.notes.empty());
    CHECK(r.state.light);
    CHECK_FALSE(core::parse_link(f + "&theme=dark", defaults()).state.light);
    const core::ParsedLink bad = core::parse_link("theme=neon", defaults());
    CHECK(bad.notes.size() == 1);
    CHECK_FALSE(bad.state.light);
}

TEST_CASE("a huge fragment is refused whole", "[link]")
{
    const std::string huge = "k=3&" + std::string(100000, 'a');
    const core::ParsedLink r = core::parse_link(huge, defaults());
    REQUIRE(r.notes.size() == 1);
    CHECK_THAT(r.notes[0], Catch::Contains("too long"));
    CHECK(r.state.params.kmeans.k == 8);
}

TEST_CASE("percent-encoding round-trips any bytes", "[link]")
{
    const std::string all = [] {
        std::string s;
        for (int c = 0; c < 256; ++c) {
            s += static_cast<char>(c);
        }
        return s;
    }();
    CHECK(core::percent_decode(core::percent_encode(all)) == all);
    CHECK(core::percent_decode("%4") == "%4");
}

TEST_CASE("given seeds travel in the link, readable, and set init and k", "[link]")
{
    const core::ParsedLink r = core::parse_link("sample=chelsea&k=8&xy=1&seeds=ff0000@10:20,@3:4", defaults());
    CHECK(r.notes.empty());
    const core::ClusterParams& p = r.state.params;
    REQUIRE(p.seeds.size() == 2);
    CHECK(p.kmeans.init == core::Init::given);
    CHECK(p.kmeans.k == 2);
    CHECK(p.seeds[1].x == 3);
    const std::string f = core::format_link(r.state);
    // Colour-only seeds cannot start a clustering with position: dropped, with a note.
    const core::ParsedLink no_xy = core::parse_link("seeds=ff0000&xy=1", defaults());
    CHECK(no_xy.notes.size() == 1);
    CHECK(no_xy.state.params.seeds.empty());
    CHECK(no_xy.state.params.kmeans.init == core::Init::kmeanspp);
    CHECK_THAT(f, Catch::EndsWith("&init=given&n_init=1&max_iter=300&tol=0.0001&work_pixels=2000000"
                                  "&seeds=%23ff0000@10:20,@3:4"));
}
