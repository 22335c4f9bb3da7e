// What the keys do, and the list of them (the "?" overlay); also the replay's play and step,
// which the keys, the timeline's buttons and presenter mode share.
#pragma once

namespace app {

struct AppState;

/// Play or pause the rounds (from the start when at the end).
void toggle_play(AppState& state);
/// Moves the replay delta half-steps (clamped) and stops playing.
void step(AppState& state, int delta);
/// Acts on this frame's key presses (none while a text field has the keyboard).
void keyboard(AppState& state);
/// The keys, when "?" asked for them.
void help_overlay(AppState& state);

} // namespace app
