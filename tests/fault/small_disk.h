// A small disk for disk-full tests: a tmpfs of a few MiB mounted on a fresh folder (root only),
// and a filler file that leaves only so much of it free. Header-only: the store's unit tests
// and the fault tests share it.
#ifndef OKR_TESTS_FAULT_SMALL_DISK_H_
#define OKR_TESTS_FAULT_SMALL_DISK_H_

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace okr::testing {

class SmallDisk {
 public:
  explicit SmallDisk(int mebibytes) {
    char path[] = "/tmp/okr-small-diskXXXXXX";
    if (::mkdtemp(path) == nullptr) {
      error_ = std::string("mkdtemp: ") + std::strerror(errno);
      return;
    }
    path_ = path;
    const std::string options = "size=" + std::to_string(mebibytes) + "m,mode=0700";
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      error_ = "mount -t tmpfs " + path_ + ": " + std::strerror(errno);
      ::rmdir(path_.c_str());
      path_.clear();
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    if (!path_.empty()) ::rmdir(path_.c_str());
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  // Whether the disk is mounted; error() says why not.
  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  uint64_t FreeBytes() const {
    struct statvfs fs {};
    if (::statvfs(path_.c_str(), &fs) != 0) return 0;
    return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  }

  // Writes a filler file that leaves `free_bytes` free; false when it cannot.
  bool Fill(uint64_t free_bytes) {
    const uint64_t now = FreeBytes();
    if (now <= free_bytes) return now == free_bytes;
    const int fd = ::open(filler().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return false;
    const bool done = ::posix_fallocate(fd, 0, static_cast<off_t>(now - free_bytes)) == 0;
    ::close(fd);
    return done;
  }
  // Deletes the filler: the space it held is free again.
  void RemoveFiller() {
    std::error_code ec;
    std::filesystem::remove(filler(), ec);
  }

 private:
  std::string filler() const { return path_ + "/filler"; }

  std::string path_;
  std::string error_;
  bool mounted_ = false;
};

}  // namespace okr::testing

#endif  // OKR_TESTS_FAULT_SMALL_DISK_H_
