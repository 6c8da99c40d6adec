import RunbookCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal or ssh session went away) during a run
/// that the program wraps in `handling` (the CLI does; the library installs no handler):
/// the running step's whole process group is killed at once, from the signal handler, and the
/// run stops after recording the interruption.
/// Without this, Ctrl-C would kill runbook but leave the step's processes running on, since
/// they live in a process group of their own.
public enum Interruption {
    /// The signal that interrupted the run, or 0.
    static let received = Atomic<Int32>(0)
    /// The process groups of the steps running now (several when a step runs on many targets
    /// at once), 0 in a free slot. Fixed slots of atomics: the signal handler may neither lock
    /// nor allocate.
    static let runningGroups: InlineArray<1024, Atomic<Int32>> = InlineArray { _ in Atomic<Int32>(0) }

    /// Records a step's process group for the handler to kill; the slot to `release` after.
    /// Nil when every slot is taken (more steps at once than `--forks` allows).
    static func register(group: Int32) -> Int? {
        for slot in runningGroups.indices
        where runningGroups[slot].compareExchange(expected: 0, desired: group, ordering: .acquiringAndReleasing)
            .exchanged
        {
            return slot
        }
        return nil
    }

    static func release(_ slot: Int?) {
        if let slot { runningGroups[slot].store(0, ordering: .releasing) }
    }

    public static var signal: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Installs the handlers for the duration of `body`, then restores the previous ones. For
    /// the program to call around a run that changes machines: SIGPIPE is ignored meanwhile,
    /// so that a reader of its output that goes away (`| head`) does not kill the run halfway
    /// through a step.
    public static func handling<T>(_ body: () -> T) -> T {
        received.store(0, ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            Interruption.received.store(signal, ordering: .releasing)
            for slot in Interruption.runningGroups.indices {
                let group = Interruption.runningGroups[slot].load(ordering: .acquiring)
                if group > 0 { kill(-group, SIGKILL) }
            }
        }
        sigemptyset(&action.sa_mask)
        let handled = [SIGINT, SIGTERM, SIGHUP]
        var previous: [sigaction] = Array(repeating: action, count: handled.count)
        for (index, signal) in handled.enumerated() { sigaction(signal, &action, &previous[index]) }
        // A parent may have started us with these signals blocked (test runners do).
        var signals = sigset_t(), previousMask = sigset_t()
        sigemptyset(&signals)
        for signal in handled { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, &previousMask)
        var ignore = sigaction(), previousPipe = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigaction(SIGPIPE, &ignore, &previousPipe)
        defer {
            pthread_sigmask(SIG_SETMASK, &previousMask, nil)
            for (index, signal) in handled.enumerated() { sigaction(signal, &previous[index], nil) }
            sigaction(SIGPIPE, &previousPipe, nil)
        }
        return body()
    }
}
