#include "core/io/file_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace bs {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const char* name) {
  fs::path dir = fs::temp_directory_path() / (std::string("booksmart-file-bytes-") + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(FileBytes, WritingAFileReplacesItWhole) {
  const fs::path dir = fresh_dir("replace");
  const std::string path = (dir / "model.bin").string();
  ASSERT_TRUE(write_file(path, {1, 2, 3, 4}).ok());
  ASSERT_TRUE(write_file(path, {9}).ok());
  auto back = read_file(path, 100);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, std::vector<uint8_t>{9});
  EXPECT_FALSE(fs::exists(path + ".tmp")) << "the temporary file is renamed, not left behind";
}

// `--out /dev/null` (as the determinism test trains) must write into the device: renaming a temporary file
// over it would, as root, replace /dev/null with a regular file for every program on the machine.
TEST(FileBytes, WritingToADeviceWritesIntoItAndLeavesItADevice) {
  ASSERT_TRUE(fs::exists("/dev/null"));
  ASSERT_TRUE(check_writable("/dev/null").ok());
  const Status s = write_file("/dev/null", std::vector<uint8_t>(1000, 7));
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_FALSE(fs::exists("/dev/null.tmp"));
}

TEST(FileBytes, WritingIntoAMissingFolderIsAnErrorNamingThePath) {
  const fs::path dir = fresh_dir("missing");
  const std::string path = (dir / "no" / "such" / "model.bin").string();
  const Status s = write_file(path, {1});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("model.bin.tmp"), std::string::npos) << s.message();
  EXPECT_FALSE(check_writable(path).ok());
}

}  // namespace
}  // namespace bs
