// Layout that follows the width it has. The figure is as wide as an article's column on a phone (320 px and
// up) and as a desktop's figure (1,100 px); the views are written once for both. Rows of pictures and
// controls wrap when the next one does not fit, fixed sizes shrink to the width left, and under about 600 px
// the figure is one column with controls a finger can hit (40 CSS px tall).
#pragma once

namespace bs::app {

// Under this width (CSS px) the figure is narrow.
constexpr float kNarrowWidth = 600.0f;
// The height of a control on a narrow figure: a fingertip's target.
constexpr float kTouchTarget = 40.0f;

// True when the figure's window is narrower than kNarrowWidth.
bool narrow();
// `want`, or less when the current line has less room left (never below 1).
float fit(float want);
// Puts the next item on this line when `next_width` still fits beside the last one, else starts a new line.
void same_line_if_fits(float next_width);
// The width `text` takes in the current font.
float text_width(const char* text);
// A picture's greyed caption, wrapping to the picture's `width`.
void caption(const char* text, float width);
// Greyed text that wraps at the figure's edge; `beside` the last item when it fits there whole.
void remark(const char* text, bool beside = true);

// For the frame: pushes the narrow style (taller controls, larger grabs) when the figure is narrow; pop
// undoes what push did.
void push_figure_style();
void pop_figure_style();

}  // namespace bs::app
