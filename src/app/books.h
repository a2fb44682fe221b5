// The page's two books: MNIST digits and Fashion-MNIST clothes. Same format and size, so everything else in
// the app is shared; what differs is here: the name the URL and state() use (also the folder of the page's
// data files), the class names, the pretrained model shipped for it, and the overlay's default pair.
#pragma once

#include <array>
#include <string>
#include <vector>

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
};

const std::vector<BookInfo>& books();
const BookInfo& book_info(Book b);
const BookInfo* find_book(const std::string& name);
std::vector<std::string> book_names();
// "7" on MNIST, "7 Sneaker" on Fashion-MNIST; "?" outside 0-9 (a reader's digit not read yet).
std::string class_text(Book b, int label);

}  // namespace bs::app
