// Test support for the cli area: runs the built `survkit` binary (SURVKIT_BINARY) as a
// child process and captures its standard output, standard error and exit code.
//
// posix_spawn + two pipes drained together with poll(): reading one pipe to the end
// before the other could deadlock once the child fills the other pipe's buffer (a km
// curve in JSON is well over the 64 KiB a pipe holds).
#pragma once

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace cli_test {

struct CliRun {
  int exit_code = -1;  ///< the child's exit status; -1 if it was killed by a signal
  int signal = 0;      ///< the signal that killed the child, or 0
  bool timed_out = false;  ///< killed after `timeout_seconds` (then signal is SIGKILL)
  std::string out;     ///< everything written to stdout
  std::string err;     ///< everything written to stderr
};

/// Runs `binary args...` (no shell: arguments are passed as they are).  With a
/// timeout_seconds > 0, a child still running after that long is killed (SIGKILL).
inline CliRun run_program(const std::string& binary, const std::vector<std::string>& args,
                          int timeout_seconds = 0) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]})
    posix_spawn_file_actions_addclose(&actions, fd);

  std::vector<std::string> argv_store{binary};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot start " + binary);
  }

  CliRun run;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  std::array<std::string*, 2> sinks{&run.out, &run.err};
  int open_fds = 2;
  char buf[1 << 15];
  while (open_fds > 0) {
    int wait_ms = -1;
    if (timeout_seconds > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 && !run.timed_out) {
        kill(pid, SIGKILL);  // the pipes then close and the loop ends
        run.timed_out = true;
      }
      wait_ms = run.timed_out ? -1 : static_cast<int>(left.count()) + 1;
    }
    const int ready = poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll failed");
    }
    if (ready == 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;  // poll ignores negative descriptors
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return run;
}

/// Runs the survkit binary under test.
inline CliRun run_cli(const std::vector<std::string>& args) {
  return run_program(SURVKIT_BINARY, args);
}

/// Splits a command line on spaces (the reference cases contain no quoted arguments).
inline std::vector<std::string> split_args(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string a; in >> a;) out.push_back(a);
  return out;
}

/// Printable form of a command line for failure messages.
inline std::string show(const std::vector<std::string>& args) {
  std::string s = "survkit";
  for (const auto& a : args) s += " " + a;
  return s;
}

}  // namespace cli_test
