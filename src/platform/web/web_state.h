// The page's single AppState and its calls out to the page's JavaScript (shell/booksmart.js).
#pragma once

#include <memory>
#include <string>

#include "app/app_state.h"

namespace bs::web {

app::AppState& state();
// What holds it: a dataset switch replaces the state (app::switch_book_if_wanted).
std::unique_ptr<app::AppState>& state_holder();
void ready();                        // the interface is up: the page starts fetching
void frame_done();                   // a frame was drawn (the page mirrors the state for screen readers)
void fatal(const std::string& why);  // the interface cannot run: the page shows why
void deliver_downloads();            // hands queued exports to the page, which saves them as files
// Whether the page asked for something (set(), a model file, a picture) since the last call: the reader's
// doing, which the next frame presents at once.
bool take_page_request();

}  // namespace bs::web
