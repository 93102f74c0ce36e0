// Bench for the eMRAM non-volatile image: a missing file is a blank part, wrong sizes and
// unreadable files are errors naming the file, saves round-trip and are atomic (a failed or killed
// save leaves the old image intact).
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <dirent.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/memory/nv_image.h"

namespace {

using edgevp::memory::load_nv_image;
using edgevp::memory::nv_image_error;
using edgevp::memory::nv_image_target;
using edgevp::memory::nv_image_unwritable;
using edgevp::memory::save_nv_image_atomic;

// A fresh directory per test, removed (with its files) at the end.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::string tmpl = ::testing::TempDir() + "nv_image_XXXXXX";
    char* p = ::mkdtemp(tmpl.data());
    if (p == nullptr) throw std::runtime_error("mkdtemp failed");
    path = p;
  }
  ~temp_dir() {
    for (const std::string& f : files()) std::remove((path + "/" + f).c_str());
    ::rmdir(path.c_str());
  }
  [[nodiscard]] std::vector<std::string> files() const {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(path.c_str())) {
      while (const dirent* e = ::readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(n);
      }
      ::closedir(d);
    }
    return out;
  }
  [[nodiscard]] std::string file(const std::string& name) const { return path + "/" + name; }
};

std::vector<unsigned char> pattern(std::size_t n, unsigned seed) {
  std::vector<unsigned char> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = static_cast<unsigned char>((i * 131 + seed * 7 + (i >> 8)) & 0xFF);
  return v;
}

std::vector<unsigned char> read_raw(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_raw(const std::string& path, const std::vector<unsigned char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string error_of_load(const std::string& path, std::uint64_t size) {
  try {
    load_nv_image(path, size);
  } catch (const nv_image_error& e) {
    return e.what();
  }
  return "no error";
}

// Runs `body` in a child process; returns its wait status.
template <typename F>
int in_child(F body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST(nv_image, missing_file_is_a_blank_part) {
  temp_dir d;
  const std::vector<unsigned char> img = load_nv_image(d.file("emram.bin"), 4096);
  ASSERT_EQ(img.size(), 4096u);
  for (const unsigned char b : img) ASSERT_EQ(b, 0xFF);
  EXPECT_EQ(edgevp::memory::nv_erased_value, 0xFF);
  const std::vector<unsigned char> zero = load_nv_image(d.file("emram.bin"), 16, 0x00);
  EXPECT_EQ(zero, std::vector<unsigned char>(16, 0x00));
  EXPECT_TRUE(d.files().empty());  // loading creates nothing
}

TEST(nv_image, round_trip) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  const std::vector<unsigned char> data = pattern(65536 + 3, 1);
  save_nv_image_atomic(img, data);
  EXPECT_EQ(read_raw(img), data);  // raw bytes, no header
  EXPECT_EQ(load_nv_image(img, data.size()), data);
  const std::vector<unsigned char> data2 = pattern(data.size(), 2);
  ASSERT_NE(data, data2);
  save_nv_image_atomic(img, data2);  // replaces the old one
  EXPECT_EQ(load_nv_image(img, data2.size()), data2);
  EXPECT_EQ(d.files(), std::vector<std::string>{"emram.bin"});  // no temporary file left
}

TEST(nv_image, relative_path_in_the_working_directory) {
  temp_dir d;
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(::chdir(d.path.c_str()), 0);
  const std::vector<unsigned char> data = pattern(100, 3);
  save_nv_image_atomic("img.bin", data);  // directory "."
  const std::vector<unsigned char> back = load_nv_image("img.bin", 100);
  ASSERT_EQ(::chdir(cwd), 0);
  EXPECT_EQ(back, data);
}

TEST(nv_image, wrong_size_is_an_error_naming_the_file_and_both_sizes) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  write_raw(img, pattern(1000, 0));
  const std::string msg = error_of_load(img, 4096);
  EXPECT_NE(msg.find(img), std::string::npos) << msg;
  EXPECT_NE(msg.find("1000 bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("4096 bytes"), std::string::npos) << msg;
  EXPECT_NE(error_of_load(img, 999), "no error");  // too large as well
  write_raw(img, {});
  EXPECT_NE(error_of_load(img, 4096).find("0 bytes"), std::string::npos);  // empty is not blank
}

TEST(nv_image, directory_is_an_error_naming_it) {
  temp_dir d;
  const std::string msg = error_of_load(d.path, 4096);
  EXPECT_NE(msg.find(d.path), std::string::npos) << msg;
  EXPECT_NE(msg.find("Is a directory"), std::string::npos) << msg;
}

TEST(nv_image, unreadable_file_is_an_error_with_strerror) {
  temp_dir d;
  // A path through a regular file: ENOTDIR, which even root gets (unlike a mode of 000).
  write_raw(d.file("plain"), {1, 2, 3});
  const std::string bad = d.file("plain") + "/emram.bin";
  const std::string msg = error_of_load(bad, 3);
  EXPECT_NE(msg.find(bad), std::string::npos) << msg;
  EXPECT_NE(msg.find("Not a directory"), std::string::npos) << msg;
  if (::geteuid() != 0) {
    write_raw(d.file("secret"), {1, 2, 3});
    ::chmod(d.file("secret").c_str(), 0);
    EXPECT_NE(error_of_load(d.file("secret"), 3).find("Permission denied"), std::string::npos);
  }
}

TEST(nv_image, zero_size_is_an_error) {
  temp_dir d;
  EXPECT_THROW(load_nv_image(d.file("x"), 0), nv_image_error);
}

TEST(nv_image, save_keeps_the_permission_bits) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  save_nv_image_atomic(img, pattern(64, 0));
  ASSERT_EQ(::chmod(img.c_str(), 0640), 0);
  save_nv_image_atomic(img, pattern(64, 1));
  struct stat st {};
  ASSERT_EQ(::stat(img.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

// A symbolic link is followed: the file it names is replaced and the link stays (it was replaced
// by a regular file).
TEST(nv_image, save_through_a_link_replaces_its_target_and_keeps_the_link) {
  temp_dir d;
  const std::string target = d.file("real.bin");
  const std::string link = d.file("link.bin");
  ASSERT_EQ(::symlink("real.bin", link.c_str()), 0);
  EXPECT_EQ(nv_image_target(link), d.path + "/real.bin");
  save_nv_image_atomic(link, pattern(64, 2));  // dangling: the target is created
  save_nv_image_atomic(link, pattern(64, 3));
  struct stat st {};
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(read_raw(target), pattern(64, 3));
  EXPECT_EQ(nv_image_target(target), target);
}

TEST(nv_image, a_link_loop_is_an_error) {
  temp_dir d;
  ASSERT_EQ(::symlink("b.bin", d.file("a.bin").c_str()), 0);
  ASSERT_EQ(::symlink("a.bin", d.file("b.bin").c_str()), 0);
  EXPECT_THROW(nv_image_target(d.file("a.bin")), nv_image_error);
  EXPECT_NE(nv_image_unwritable(d.file("a.bin")).find("Too many levels of symbolic links"), std::string::npos);
}

// An image without write permission bits is never replaced, whoever runs (root may write anything).
// /proc/self/fd/N and /dev/fd/N report a link size of 64 whatever the target's length: the link
// is still followed (it looped for ever).
TEST(nv_image, a_link_longer_than_its_reported_size_is_followed) {
  temp_dir d;
  const std::string img = d.file(std::string(100, 'e') + ".bin");
  write_raw(img, pattern(64, 6));
  const int fd = ::open(img.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  EXPECT_EQ(nv_image_target(link), img);
  ::close(fd);
}

// An output under a regular file: the check names that file as the directory that is not one.
TEST(nv_image, a_path_under_a_file_names_it) {
  temp_dir d;
  write_raw(d.file("f"), pattern(4, 1));
  EXPECT_EQ(nv_image_unwritable(d.file("f") + "/e.bin"), "its directory '" + d.file("f") + "' is not a directory");
}

TEST(nv_image, a_read_only_image_is_not_replaced) {
  temp_dir d;
  const std::string img = d.file("ro.bin");
  write_raw(img, pattern(64, 4));
  ASSERT_EQ(::chmod(img.c_str(), 0444), 0);
  EXPECT_NE(nv_image_unwritable(img).find("it is read-only (mode 0444)"), std::string::npos) << nv_image_unwritable(img);
  EXPECT_THROW(save_nv_image_atomic(img, pattern(64, 5)), nv_image_error);
  EXPECT_EQ(read_raw(img), pattern(64, 4));
  EXPECT_EQ(d.files().size(), 1u);  // no temporary left
}

TEST(nv_image, unwritable_names_a_missing_directory_and_accepts_a_new_file) {
  temp_dir d;
  EXPECT_NE(nv_image_unwritable(d.file("nope") + "/e.bin").find("its directory '" + d.file("nope") + "'"),
            std::string::npos);
  EXPECT_EQ(nv_image_unwritable(d.file("new.bin")), "");
  EXPECT_EQ(nv_image_unwritable(d.path), "");  // not a regular file: the load refuses it
}

TEST(nv_image, save_into_a_missing_directory_is_an_error_naming_the_file) {
  temp_dir d;
  const std::string img = d.file("nope") + "/emram.bin";
  try {
    save_nv_image_atomic(img, pattern(64, 0));
    FAIL() << "no error";
  } catch (const nv_image_error& e) {
    EXPECT_NE(std::string(e.what()).find(img), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(nv_image, failure_before_the_rename_leaves_the_old_image_and_no_temporary) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  const std::vector<unsigned char> old_data = pattern(4096, 1);
  save_nv_image_atomic(img, old_data);
  std::string tmp_seen;
  EXPECT_THROW(save_nv_image_atomic(img, pattern(4096, 2),
                                    [&](const std::string& tmp) {
                                      tmp_seen = tmp;
                                      // The new contents are complete in the temporary file.
                                      EXPECT_EQ(read_raw(tmp), pattern(4096, 2));
                                      throw std::runtime_error("injected");
                                    }),
               std::runtime_error);
  EXPECT_EQ(tmp_seen.rfind(img + ".tmp.", 0), 0u) << tmp_seen;  // same directory
  EXPECT_EQ(load_nv_image(img, 4096), old_data);
  EXPECT_EQ(d.files(), std::vector<std::string>{"emram.bin"});
}

TEST(nv_image, failing_temporary_write_leaves_the_old_image) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  const std::vector<unsigned char> old_data = pattern(8192, 1);
  save_nv_image_atomic(img, old_data);
  const std::string msg_file = d.file("message.txt");
  // In a child: the file size limit makes the temporary write fail (EFBIG) half-way.
  const int status = in_child([&] {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit lim{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    try {
      save_nv_image_atomic(img, pattern(8192, 2));
    } catch (const nv_image_error& e) {
      std::ofstream(msg_file) << e.what();  // small: under the limit
      ::_exit(3);
    }
    ::_exit(4);
  });
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 3) << "the save did not report the failure";
  const std::vector<unsigned char> raw = read_raw(msg_file);
  const std::string msg(raw.begin(), raw.end());
  EXPECT_NE(msg.find(img), std::string::npos) << msg;
  EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  std::remove(msg_file.c_str());
  EXPECT_EQ(load_nv_image(img, 8192), old_data);
  EXPECT_EQ(d.files(), std::vector<std::string>{"emram.bin"});
}

TEST(nv_image, kill_before_the_rename_leaves_the_old_image) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  const std::vector<unsigned char> old_data = pattern(4096, 1);
  save_nv_image_atomic(img, old_data);
  const int status = in_child(
      [&] { save_nv_image_atomic(img, pattern(4096, 2), [](const std::string&) { ::raise(SIGKILL); }); });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_EQ(load_nv_image(img, 4096), old_data);
  // The killed save's temporary file is debris beside the image, never read; a later save works.
  EXPECT_EQ(d.files().size(), 2u);
  save_nv_image_atomic(img, pattern(4096, 3));
  EXPECT_EQ(load_nv_image(img, 4096), pattern(4096, 3));
}

TEST(nv_image, kill_after_the_rename_leaves_the_new_image) {
  temp_dir d;
  const std::string img = d.file("emram.bin");
  save_nv_image_atomic(img, pattern(4096, 1));
  // The rename is the commit point: once save returns the new image is there, whatever follows.
  const int status = in_child([&] {
    save_nv_image_atomic(img, pattern(4096, 2));
    ::raise(SIGKILL);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(load_nv_image(img, 4096), pattern(4096, 2));
  EXPECT_EQ(d.files(), std::vector<std::string>{"emram.bin"});
}

}  // namespace
