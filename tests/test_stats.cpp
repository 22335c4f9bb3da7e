// The stats JSON: keys of the shared vocabulary, escaping, numbers that read back exactly.
#include "core/stats.h"

#include <cstdlib>

#include <catch2/catch.hpp>

TEST_CASE("json_string escapes what JSON requires", "[stats]")
{
    CHECK(core::json_string("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\nd\\u0001\"");
    CHECK(core::json_string("héllo") == "\"héllo\"");
}

TEST_CASE("json_number reads back to the same double", "[stats]")
{
    for (double v : {0.0, 1.0, 0.1, 1e-4, 123456789.125, 3.0e22, -2.5}) {
        CHECK(std::strtod(core::json_number(v).c_str(), nullptr) == v);
    }
    CHECK(core::json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
}

TEST_CASE("stats_json carries the shared vocabulary and the palette", "[stats]")
{
    core::ClusterParams params;
    params.kmeans.k = 2;
    params.kmeans.seed = 42;
    core::ClusterResult result;
    result.width = 4;
    result.height = 2;
    result.k = 2;
    result.palette = {255, 0, 0, 0, 0, 255};
    result.shares = {0.75, 0.25};
    result.inertia = 12.5;
    result.iterations = 3;
    result.converged = true;
    core::RunInfo info;
    info.source = "x.png";
    info.threads = 2;
    info.decode.orientation = 6;
    info.decode.icc_profile = "Display P3";
    const std::string j = core::stats_json(params, result, info);
    for (const char* key : {"\"width\":4", "\"height\":2", "\"k\":2", "\"space\":\"rgb\"",
                            "\"seed\":42", "\"iterations\":3", "\"inertia\":12.5",
                            "\"converged\":true", "\"threads\":2", "\"init\":\"kmeans++\"",
                            "\"n_init\":1", "\"xy\":0", "\"palette\":[[255,0,0,0.75],[0,0,255,0.25]]",
                            "\"seconds_cluster\":", "\"orientation\":6",
                            "\"icc_profile\":\"Display P3\""}) {
        INFO(key);
        CHECK(j.find(key) != std::string::npos);
    }
    CHECK(j.front() == '{');
    CHECK(j.back() == '}');
    const std::string plain = core::stats_json(params, result, core::RunInfo{});
    CHECK(plain.find("\"orientation\":1,\"icc_profile\":\"\"") != std::string::npos);
}
