#include "certbound/engine/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace certbound {
namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

// C language linkage for sigaction, internal linkage (static) like the rest of this namespace.
extern "C" {
static void on_interrupt(int sig) {
  int expected = 0;
  // First signal: record it and let the engines wind down. Second: the user insists, stop now.
  if (!g_signal.compare_exchange_strong(expected, sig)) ::_exit(128 + sig);
}
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // blocking writes of the reports resume instead of failing with EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_signal.load(std::memory_order_relaxed) != 0; }
int interrupt_signal() { return g_signal.load(std::memory_order_relaxed); }
void request_interrupt() {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, SIGINT);
}
void clear_interrupt() { g_signal.store(0); }

}  // namespace certbound
