// The built-in sample photos (from Debian's python3-skimage package, unpacked by scripts/setup.sh
// and copied next to every build): names, files, authors and licences, in one list.
#pragma once

#include <string>

namespace core {

struct Sample {
    const char* name;
    const char* file;
    const char* title;
    const char* author;
    const char* licence;
};

constexpr Sample kSamples[] = {
    {"coffee", "coffee.png", "A cup of coffee", "Rachel Michetti", "CC0"},
    {"chelsea", "chelsea.png", "Chelsea the cat", "Stefan van der Walt", "CC0"},
    {"astronaut", "astronaut.png", "Eileen Collins, astronaut", "NASA", "public domain"},
    {"rocket", "rocket.jpg", "A rocket launch", "SpaceX", "public domain"},
    {"hubble_deep_field", "hubble_deep_field.jpg", "Hubble Deep Field", "NASA", "public domain"},
};

/// The sample the app opens on.
constexpr const char* kDefaultSample = "coffee";

/// The sample with this name, or nullptr (names only: never a path).
inline const Sample* find_sample(const std::string& name)
{
    for (const Sample& s : kSamples) {
        if (name == s.name) {
            return &s;
        }
    }
    return nullptr;
}

} // namespace core
