#pragma once
// Runs a shell command (the tests call the vpcgate binary through it) and returns its standard
// output and exit status (-1 when it did not exit normally or could not be started).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace vpcgate::test {

struct CommandResult {
  int status = -1;
  std::string out;
};

inline CommandResult run_command(const std::string& shell_command) {
  CommandResult r;
  FILE* p = popen(shell_command.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace vpcgate::test
