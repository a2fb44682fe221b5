// The page's single AppState and its calls out to the page's JavaScript (shell/booksmart.js).
#pragma once

#include <string>

#include "app/app_state.h"

namespace bs::web {

app::AppState& state();
void ready();                        // the interface is up: the page starts fetching
void frame_done();                   // a frame was drawn (the page mirrors the state for screen readers)
void fatal(const std::string& why);  // the interface cannot run: the page shows why
void deliver_downloads();            // hands queued exports to the page, which saves them as files

}  // namespace bs::web
