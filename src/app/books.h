// The page's two books: MNIST digits and Fashion-MNIST clothes. Same format and size, so everything else in
// the app is shared; what differs is here: the name the URL and state() use (also the folder of the page's
// data files), the class names, the pretrained model shipped for it, the overlay's default pair, and the live
// training's recipe (the CLI's for that dataset, docs/training.md).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/train/trainer.h"

namespace bs::app {

enum class Book { kMnist, kFashion };

struct BookInfo {
  Book book;
  const char* name;   // "mnist", "fashion": the URL value, state().dataset and the page's asset folder
  const char* title;  // for the reader: "MNIST digits"
  std::array<const char*, 10> classes;
  const char* pretrained_file;  // in the page's assets/
  // The overlay's default attack: images of class `from` pushed towards `to` by the `to` output's pattern.
  int overlay_from, overlay_to;
  TrainConfig (*recipe)();  // default_train_config, fashion_train_config
};

const std::vector<BookInfo>& books();
const BookInfo& book_info(Book b);
const BookInfo* find_book(const std::string& name);
std::vector<std::string> book_names();
// "7" on MNIST, "7 Sneaker" on Fashion-MNIST; "?" outside 0-9 (a reader's digit not read yet).
std::string class_text(Book b, int label);

// The recipe live training takes on a switch from book `from` to `to`: `to`'s own, unless the reader had
// changed `from`'s (optimizer, learning rate, batch), whose choices then stay. The learning rate's decay per
// epoch, which the reader does not set, is always `to`'s, so a share link (which names the three) replays the
// same run.
TrainConfig recipe_after_switch(const TrainConfig& current, Book from, Book to);

}  // namespace bs::app
