// edgevp: the eMRAM's non-volatile image, a file that outlives the simulation.
//
// The image is the raw contents of the eMRAM, byte for byte (offset 0 = the eMRAM's base), and
// exactly as large as the eMRAM: no header, so `cmp`, `xxd` and `dd` work on it.
//
// Erased value: a byte never written reads as `erased_value`, 0xFF by default, the convention of
// the NOR flash that eMRAM replaces (MRAM has no erase operation, but firmware and tools written
// for flash treat 0xFF as "blank", and a blank eMRAM that reads 0xFF lets them work unchanged).
//
//   load_nv_image         a missing file (ENOENT) is a blank part: `size` bytes of erased_value.
//                         A file of another size, a directory or an unreadable file is an error.
//   save_nv_image_atomic  replaces the image so that a crash or kill at any point leaves either the
//                         old image or the new one, never a mix or a truncated file:
//                           1. write <path>.tmp.<pid>.<n> in the same directory (same filesystem),
//                              with the old image's permission bits (new file: 0666 & ~umask)
//                           2. fsync it          3. rename() it over <path> (atomic in POSIX)
//                           4. fsync the directory, so the rename itself is durable
//                         On an error before the rename the temporary file is removed and <path>
//                         is untouched. A process killed before the rename leaves a stale
//                         <path>.tmp.* behind (never read; safe to delete).
//                         A symbolic link is followed: the file it names is replaced (in its own
//                         directory) and the link stays a link. An image without write permission
//                         (no w bit, whoever runs) is not replaced: an error.
//   nv_image_unwritable   why save_nv_image_atomic would fail before writing a byte (the
//                         directory missing or not writable, the image read-only), or "": a run
//                         checks this before it starts, not after. (A path that is not a regular
//                         file is load_nv_image's to refuse, as an input.)
//
// Errors are nv_image_error (a std::runtime_error); the message names the file and says why
// (sizes, or strerror).
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgevp::memory {

class nv_image_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr unsigned char nv_erased_value = 0xFF;

// The image at `path`, `size` bytes (size > 0).
std::vector<unsigned char> load_nv_image(const std::string& path, std::uint64_t size,
                                         unsigned char erased_value = nv_erased_value);

// The file a path names once its symbolic links are followed (the path itself when it is none;
// a link to a missing file gives that file's path). Throws nv_image_error on a link loop.
std::string nv_image_target(const std::string& path);

// "" or why `path` cannot be saved to (see above), e.g. "it is read-only (mode 0444)".
std::string nv_image_unwritable(const std::string& path);

// Atomically replaces the image at `path` with `bytes` (see above). `before_rename`, when set, is
// called with the temporary file's path once it is written and synced, just before the rename:
// a fault-injection point for tests (throwing from it aborts the save and removes the file).
void save_nv_image_atomic(const std::string& path, const std::vector<unsigned char>& bytes,
                          const std::function<void(const std::string& tmp_path)>& before_rename = {});
void save_nv_image_atomic(const std::string& path, const unsigned char* data, std::uint64_t size,
                          const std::function<void(const std::string& tmp_path)>& before_rename = {});

}  // namespace edgevp::memory
