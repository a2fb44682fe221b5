#include "app/books.h"

namespace bs::app {

const std::vector<BookInfo>& books() {
  static const std::vector<BookInfo> all = {
      {Book::kMnist,
       "mnist",
       "MNIST digits",
       {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
       "pretrained.safetensors",
       7,
       0,
       default_train_config},
      // A sneaker pushed towards a bag: two classes far apart to the eye, as the 7 and the 0 are.
      {Book::kFashion,
       "fashion",
       "Fashion-MNIST clothes",
       {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
        "Ankle boot"},
       "pretrained-fashion.safetensors",
       7,
       8,
       fashion_train_config},
  };
  return all;
}

const BookInfo& book_info(Book b) {
  return books()[size_t(b)];
}

const BookInfo* find_book(const std::string& name) {
  for (const BookInfo& b : books())
    if (name == b.name) return &b;
  return nullptr;
}

std::vector<std::string> book_names() {
  std::vector<std::string> out;
  for (const BookInfo& b : books()) out.push_back(b.name);
  return out;
}

std::string class_text(Book b, int label) {
  if (label < 0 || label > 9) return "?";
  if (b == Book::kMnist) return std::to_string(label);
  return std::to_string(label) + " " + book_info(b).classes[size_t(label)];
}

TrainConfig recipe_after_switch(const TrainConfig& current, Book from, Book to) {
  const TrainConfig was = book_info(from).recipe();
  TrainConfig next = book_info(to).recipe();
  const bool changed =
      current.opt.kind != was.opt.kind || current.opt.lr != was.opt.lr || current.batch != was.batch;
  if (changed) {
    next.opt.kind = current.opt.kind;
    next.opt.lr = current.opt.lr;
    next.batch = current.batch;
  }
  return next;
}

}  // namespace bs::app
