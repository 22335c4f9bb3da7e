// What a screen reader hears of the app: the line for the page's aria-live region (what just
// happened: opening, clustering, the result, a message) and a description of the result shown
// (k, rounds, inertia, the round drawn, the palette with shares). Plain sentences from the
// document and the replay's position; no GL, SDL or ImGui. The browser platform sends them to the
// page when they change (src/platform/web.cpp); the desktop has no such region.
#pragma once

#include <string>
#include <vector>

#include "document.h"

namespace app {

/// Where the replay stands, as a listener cares about it.
struct ReplayShown {
    int position = 0;
    int last_position = 0;
    bool playing = false;
};

/// The spoken side of the app at one moment.
struct Spoken {
    /// The live region's line: what just happened. Empty: nothing new to say (the region keeps
    /// its last line).
    std::string live;
    /// The line is an error or warning (the red message): said at once (assertive).
    bool error = false;
    /// The result shown, in full ("coffee, 600 x 400 pixels: 8 colours in rgb, ... Palette,
    /// largest share first: #aabbcc 23 %, ..."); empty before the first result.
    std::string description;
};

/// Most palette entries the description reads out (k goes to 4096); the rest are counted.
constexpr int kSpokenColours = 256;
/// Palette entries in the live line when a result arrives.
constexpr int kLiveColours = 8;

/// The result's description: image, k, rounds, inertia, the round shown, the palette.
std::string describe_result(const Document& doc, const ReplayShown& replay);

/// Keeps what was said last and tells when a listener should hear something new. Cheap to call
/// every frame: the sentences are rebuilt only when the status, the message, a result, the notes,
/// an export's note or (not while playing) the round shown change.
class Announcer {
public:
    /// True when there is a new line to say or the description changed since the last call;
    /// `spoken()` has them.
    bool update(const Document& doc, const ReplayShown& replay);
    const Spoken& spoken() const { return m_spoken; }

private:
    /// What the sentences depend on.
    struct Key {
        Status status = Status::empty;
        std::string message;
        std::string image_name;
        const void* result = nullptr;
        const void* compare_result = nullptr;
        bool compare = false;
        std::vector<std::string> link_notes;
        std::string export_note;
        int position = -1;
        bool playing = false;
        bool operator==(const Key& other) const;
    };
    bool m_started = false;
    Key m_key;
    Spoken m_spoken;
};

} // namespace app
