// Cooperative interruption (Ctrl-C, SIGTERM) of long runs.
//
// The signal handler only stores to a lock-free std::atomic<bool> (async-signal-safe, C++20
// [support.signal]); the check engine polls it between cases and the prover between boxes, so a
// run stops within one case or box, writes what it certified so far and exits 128 + signal.
// A second signal while the first is being handled ends the process at once (_exit).
#pragma once

namespace certbound {

/// Install the SIGINT/SIGTERM handlers (idempotent).
void install_interrupt_handlers();
/// True once SIGINT or SIGTERM arrived (or request_interrupt was called).
bool interrupted();
/// The signal that interrupted the run (0 if none; SIGINT for request_interrupt).
int interrupt_signal();
/// Ask running engines to stop as if Ctrl-C had been pressed (tests, embedding).
void request_interrupt();
/// Forget an earlier interruption (tests, embedding).
void clear_interrupt();

}  // namespace certbound
