// The panels of the one full-window ImGui window: controls and palette on the left (collapsible),
// the images (with the cloud and the timeline) taking the rest, presenter mode's bar, and the About window.
#pragma once

namespace app {

struct AppState;

/// The left panel: open, samples, parameters, Run / Choose k / Cancel, link, exports, the image's
/// facts, the result's figures and its palette.
void controls_panel(AppState& state);
/// Play controls, the scrubber with its round ticks, the pixels changed per round as bars, what the
/// current half-step is and inertia per round. `compact` (presenter mode, whose bar says what the
/// half-step is): the play controls and the scrubber on one line, no sentence.
void timeline_panel(AppState& state, bool compact);
/// The least height timeline_panel needs: its rows, the changed-pixels bars and a chart one can read.
float timeline_height(bool compact);
/// The least width of the timeline: its play buttons in one row.
float timeline_min_width();
/// The full-size split's timeline: the play buttons and the scrubber on one line.
void timeline_bar(AppState& state);
/// Presenter mode's chrome: what the room needs to read, and a large step button.
void presenter_bar(AppState& state);
/// Puts the next item on the current line when `width` more pixels fit there, else on the next.
void same_line_if_fits(float width);
/// A checkbox's width with its label.
float checkbox_width(const char* label);
/// The About window, when open.
void about_panel(AppState& state);
/// The right side: layout row, the original and the result (side by side, split or compare), the
/// colour cloud, and the timeline under them.
void images_panel(AppState& state);

} // namespace app
