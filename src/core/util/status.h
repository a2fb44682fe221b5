// Errors at a boundary (file, network, user input) travel as values, never as exceptions or exit():
// the core runs inside a browser tab, where a crash loses the reader's trained model.
// Programmer errors (broken invariants) stay asserts.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace bs {

// A message meant for a person: what was wrong, where (file, byte offset, field), and a hint if useful.
struct Error {
  std::string message;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : message_(std::move(e.message)) {}  // NOLINT: implicit on purpose, `return Error{...};`
  static Status Ok() { return Status(); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }

 private:
  std::optional<std::string> message_;
};

template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}                         // NOLINT: implicit on purpose
  Expected(Error e) : message_(std::move(e.message)) {}                   // NOLINT: implicit on purpose
  Expected(const Status& s) : message_(s.message()) { assert(!s.ok()); }  // NOLINT: forwards a failure

  bool ok() const { return value_.has_value(); }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const std::string& error() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }
  Status status() const { return ok() ? Status() : Status(Error{*message_}); }

 private:
  std::optional<T> value_;
  std::optional<std::string> message_;
};

}  // namespace bs
